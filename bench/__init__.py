"""The benchmark (``make bench``: ``python -m bench``), outside the app's import path: it
measures the app and imports it, never the other way round."""
