"""tui/widgets layer of lo-codebook (see ARCHITECTURE)."""
