"""The labelled answers in evals/answers/<round>/<question>.yaml, validated when loaded."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.content.errors import ContentError
from app.content.loader import Content
from app.content.yamlfile import read_yaml

Turns = list[str]


class LabelledAnswers(BaseModel):
    """What candidates of three levels say to one question, and a keyword-stuffing answer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    question: str
    strong: Turns = Field(min_length=1)
    medium: Turns = Field(min_length=1)
    weak: Turns = Field(min_length=1)
    stuffing: str = Field(min_length=1)


def load_samples(root: Path, content: Content) -> list[LabelledAnswers]:
    """Every labelled answer file under root/evals/answers, checked against the bank."""
    samples = []
    for path in sorted((root / "evals" / "answers").glob("*/*.yaml")):
        try:
            sample = LabelledAnswers.model_validate(read_yaml(path))
        except ValidationError as error:
            raise ContentError(f"{path}: {error}") from error
        question = content.questions.get(sample.question)
        if question is None or question.round.value != path.parent.name:
            raise ContentError(f"{path}: {sample.question!r} is not a question of this round")
        samples.append(sample)
    return samples
