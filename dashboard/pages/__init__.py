"""One module per page: register_page, layout(**query), its callbacks."""
