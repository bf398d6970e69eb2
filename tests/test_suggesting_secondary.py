"""Most answers are about one thing: a code below its answer's best needs more evidence
(`nlp/resolution.secondary_codes`)."""

from __future__ import annotations

import pytest

from lo_codebook.nlp.match import DocumentInput, SuggestionEngine
from lo_codebook.nlp.scores import _F_SECONDARY

from .helpers import suggested, workload_scene_engine

SCENE = "De taken van collega's die vertrokken zijn komen nu bij ons."


@pytest.fixture(scope="module")
def dutch() -> SuggestionEngine:
    return workload_scene_engine()


def test_a_code_below_the_answers_best_keeps_a_share_of_its_score(dutch) -> None:
    alone = suggested(dutch, SCENE, 0)["wd"].score
    both = suggested(dutch, f"Mijn laptop is traag. {SCENE}", 0)
    assert both["ict"].score == 100.0  # the best code keeps its score
    assert both["wd"].score == pytest.approx(alone * _F_SECONDARY, abs=0.1)
    assert both["wd"].score < alone


def test_codes_tied_at_the_best_score_both_keep_it(dutch) -> None:
    found = suggested(dutch, "Mijn laptop is traag. En de e-learning ook.", 0)
    assert found["ict"].score == found["el"].score == 100.0


def test_each_answer_has_its_own_best(dutch) -> None:
    documents = [
        DocumentInput("a", "Mijn laptop is traag.", [], "survey"),
        DocumentInput("b", SCENE, [], "survey"),
    ]
    found = {(s.document_id, s.code_id): s.score for s in dutch.suggest(documents)}
    assert found[("b", "wd")] == suggested(dutch, SCENE, 0)["wd"].score
