"""Allows `python -m lo_codebook`."""

from __future__ import annotations

from lo_codebook.cli import main

if __name__ == "__main__":
    main()
