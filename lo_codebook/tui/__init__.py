"""Textual terminal UI: thin screens over the core API."""
