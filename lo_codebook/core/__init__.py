"""Core operations that both the CLI and the UI call: one implementation, one transaction each."""
