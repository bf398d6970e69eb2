"""Analysis: theme frequency tables, agreement, co-occurrence, charts (pandas, matplotlib).

Pure functions over the DataFrames described in :mod:`.frames`; no database, no UI.
Entry points: :func:`.themes.theme_table` (+ renderers in :mod:`.render`),
:func:`.charts.theme_chart`, :func:`.agreement.agreement`,
:func:`.cooccurrence.cooccurrence`. Submodules are imported on demand so the CLI
does not pay for matplotlib unless it draws.
"""
