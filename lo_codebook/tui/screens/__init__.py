"""tui/screens layer of lo-codebook (see ARCHITECTURE)."""
