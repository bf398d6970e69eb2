"""Database layer: typed models, engine setup and migrations."""
