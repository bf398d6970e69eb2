"""A bare spaCy process, the baseline of `bench_suggest.py --process`: start, load, read, pipe.

    python bench/bare_spacy.py SURVEY.csv COLUMN [--tuned]

By default the pipeline is spaCy's own: `spacy.blank("nl")`, the sentencizer and the lookup
lemmatizer with spacy-lookups-data's tables, as the project brief names it. `--tuned` uses
lo-codebook's pipeline instead (`get_pipeline("nl")`: the same components with a vectorised
lemma look-up, hyphen splitting and line-break sentence ends), a stricter baseline because it
is faster than spaCy's own. Only what the run needs is imported, so the process start is
that of spaCy alone.
"""

from __future__ import annotations

import csv
import sys


def main() -> None:
    survey, column = sys.argv[1], sys.argv[2]
    if "--tuned" in sys.argv[3:]:
        from lo_codebook.nlp.pipeline import get_pipeline

        nlp = get_pipeline("nl")
    else:
        import spacy

        nlp = spacy.blank("nl")
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
    with open(survey, encoding="utf-8", newline="") as handle:
        texts = [row[column] for row in csv.DictReader(handle)]
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=1000))
    print(tokens)


if __name__ == "__main__":
    main()
