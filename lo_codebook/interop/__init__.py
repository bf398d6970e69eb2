"""Interoperability: REFI-QDA codebooks (.qdc) and projects (.qdpx), read safely."""
