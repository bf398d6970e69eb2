"""Analysis: theme frequency tables, agreement, co-occurrence, charts (pandas, matplotlib)."""
