"""The held-out paraphrases (evals/paraphrases/heldout.yaml): answers in words the bank does
not use, kept to measure any matcher against (docs/SEMANTIC.md)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from app.config import PROJECT_ROOT
from app.content.loader import Content
from app.engine.assessor import assess
from app.engine.topics import bank_topic

KINDS = {"paraphrase", "negated", "wrong", "dont_know"}


def _items() -> list[dict[str, Any]]:
    path = PROJECT_ROOT / "evals" / "paraphrases" / "heldout.yaml"
    items: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return items


def test_each_item_names_a_real_question_and_its_key_points(content: Content) -> None:
    items = _items()
    assert len(items) >= 20
    for item in items:
        assert set(item) == {"question", "kind", "say", "covers"}, item
        assert item["kind"] in KINDS, item
        question = content.questions[item["question"]]
        assert set(item["covers"]) <= {p.id for p in question.key_points}, item
        # a paraphrase covers one point; a negated, wrong or unknowing answer none
        assert len(item["covers"]) == (item["kind"] == "paraphrase"), item


@pytest.mark.parametrize(
    "item", [i for i in _items() if not i["covers"]], ids=lambda i: f"{i['question']}-{i['kind']}"
)
def test_the_lexical_rules_credit_no_negated_wrong_or_unknowing_answer(
    content: Content, item: dict[str, Any]
) -> None:
    question = content.questions[item["question"]]
    spec = content.rounds[question.round]
    assessment = assess(bank_topic(question, spec), spec, item["say"])
    credited = [k.id for k in assessment.key_points if k.status in ("covered", "partial")]
    assert credited == [], credited
