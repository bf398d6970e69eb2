"""NLP: cached spaCy pipeline, keyword/fuzzy/learned matching, theme discovery."""
