"""The interactive pieces of the pages that carry their own callbacks, registered when
imported: the filter bar (``filterbar``), the downloads of every table and chart
(``nedladdning``), the PM button (``pm``), an ended insats's slutrapport button
(``slutrapport``) and the kansli's texts (``texter``). Each callback is
thin: it reads this request's viewer (``begaran``) and calls a table, view or document below;
the layout pieces they draw with are ``components``, which take no connection and query
nothing."""
