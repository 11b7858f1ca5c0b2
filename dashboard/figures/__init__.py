"""Pure DataFrame -> plotly Figure builders."""
