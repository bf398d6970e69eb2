"""Alembic migrations, shipped inside the package as lo_codebook.migrations."""
