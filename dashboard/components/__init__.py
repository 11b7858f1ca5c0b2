"""Pure layout pieces (no data access, no callbacks)."""
