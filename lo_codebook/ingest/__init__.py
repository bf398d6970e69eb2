"""Importers: one module per file format, each returning plain dataclasses."""
