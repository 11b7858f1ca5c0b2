"""The pieces pages are made of. Most are pure layout: they draw what they are handed
(``lampa``, ``tabell``, ``diagram``, ``riktning``, ``bilder``, ``slutrapport``); ``sida`` says what every page
says the same way (its heading, period, why figures are not shown). Four carry their own
interaction and register its callbacks when imported (``filterbar``: the filter bar;
``nedladdning``: downloads; ``pm``: the PM button; ``texter``: the kansli's texts); the
callbacks are thin, as the pages' are: they read the request's viewer and call a table or
view function below.
"""
