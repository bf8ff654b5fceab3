"""With an LLM, a question about a project of the candidate's CV, written for them.

One structured call when a behavioral or research interview starts with a CV: the model reads
the CV and the job description as delimited data and writes a question about one project, with
key points, follow-ups and hints. It is validated into a bank `Question` (bounded sizes, unique
ids, criteria of the round's rubric), stored with the interview's tailoring and asked like a
bank question; its key points are never shown during the interview. Any failure (the model's
error, invalid replies, a timeout, the user's LLM budget) leaves the bank's CV version of the
question (`cv_prompt`), and the interview starts all the same.
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections.abc import Sequence
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    create_model,
    field_validator,
    model_validator,
)

from app.content.loader import Content
from app.content.models import FollowUp, KeyPoint, Question, RoundType, Rubric
from app.engine.topics import CV_QUESTION_ID
from app.llm.client import LLMError
from app.services import limits, tailoring
from app.services.errors import RateLimited
from app.services.runtime import Runtime
from app.services.tailoring import Tailoring

log = logging.getLogger(__name__)
CV_ROUNDS = frozenset({RoundType.behavioral, RoundType.research})
# what of the pasted text the model reads: two pages of CV, the gist of a job description
CV_CHARS = 12_000
JOB_CHARS = 4_000
# nothing the model writes can open or close a delimiter in a later prompt
_ANGLES = str.maketrans({"<": "\u2039", ">": "\u203a"})

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=80)]
Sentence = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=400)]
Prompt = Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=700)]


def _slug(value: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")[:40]
    if not slug:
        raise ValueError(f"{value!r} is not an id: use lowercase words and hyphens")
    return slug


class _Reply(BaseModel):
    model_config = ConfigDict(extra="ignore")


class WrittenPoint(_Reply):
    """A key point as the model writes it."""

    id: str = Field(max_length=60)
    text: Sentence
    phrases: list[Phrase] = Field(min_length=1, max_length=6)
    # an enum rather than a range: every structured-output server takes one
    weight: Literal[1, 2, 3]
    criterion: str

    @field_validator("id")
    @classmethod
    def _id_is_a_slug(cls, value: str) -> str:
        return _slug(value)


class WrittenFollowUp(_Reply):
    """A follow-up as the model writes it, for one of its key points."""

    key_point: str = Field(max_length=60)
    prompt: Sentence

    @field_validator("key_point")
    @classmethod
    def _key_point_is_a_slug(cls, value: str) -> str:
        return _slug(value)


class CvQuestion(_Reply):
    """What the call returns: a question about one project of the CV."""

    project: Name
    title: Name
    prompt: Prompt
    key_points: list[WrittenPoint] = Field(min_length=3, max_length=6)
    follow_ups: list[WrittenFollowUp] = Field(min_length=2, max_length=3)
    hints: list[Sentence] = Field(min_length=3, max_length=3)

    @model_validator(mode="after")
    def _consistent(self) -> CvQuestion:
        ids = [p.id for p in self.key_points]
        if len(set(ids)) != len(ids):
            raise ValueError(f"key point ids must be unique: {ids}")
        unknown = [f.key_point for f in self.follow_ups if f.key_point not in ids]
        if unknown:
            raise ValueError(f"follow-ups name unknown key points: {unknown}")
        return self


@cache
def reply_schema(criteria: tuple[str, ...]) -> type[CvQuestion]:
    """The reply schema, each key point's criterion one of the round's rubric criteria."""
    names: Any = Literal[criteria]  # a type only at run time
    point = create_model("WrittenPoint", __base__=WrittenPoint, criterion=(names, ...))
    points = (list[point], Field(min_length=3, max_length=6))
    return create_model("CvQuestion", __base__=CvQuestion, key_points=points)


def key_point_criteria(rubric: Rubric) -> tuple[str, ...]:
    """The rubric's criteria that a question's key points evidence."""
    return tuple(c.id for c in rubric.criteria if any(s.kind == "key_points" for s in c.signals))


def _plain(text: str) -> str:
    return text.translate(_ANGLES)


def to_question(written: CvQuestion, round_type: RoundType) -> Question:
    """The written question as a bank question; ValidationError if the bank would refuse it."""
    points = tuple(
        KeyPoint(
            id=p.id,
            text=_plain(p.text),
            weight=p.weight,
            phrases=tuple(_plain(phrase) for phrase in p.phrases),
            criterion=p.criterion,
        )
        for p in written.key_points
    )
    first, second, third = (_plain(h) for h in written.hints)
    return Question(
        id=CV_QUESTION_ID,
        round=round_type,
        title=_plain(written.title),
        prompt=_plain(written.prompt),
        difficulty="medium",
        tags=("cv-project",),
        key_points=points,
        follow_ups=tuple(
            FollowUp(key_point=f.key_point, prompt=_plain(f.prompt)) for f in written.follow_ups
        ),
        hints=(first, second, third),
        # never shown (only the bank's questions show a model answer): what it should cover
        model_answer=tuple(p.text for p in points),
    )


def messages(
    content: Content, round_type: RoundType, *, project: str | None, cv: str, job: str | None
) -> list[dict[str, str]]:
    """The call's system and user messages: the CV and the job description as delimited data."""
    prompts = content.prompts
    rubric = content.rubrics[round_type]
    criteria = [c for c in rubric.criteria if c.id in key_point_criteria(rubric)]
    system = prompts.render(
        "cv_question/system.j2", round=content.rounds[round_type], criteria=criteria
    )
    user = prompts.render(
        "cv_question/user.j2",
        project=project,
        cv=cv[:CV_CHARS],
        cv_cut=len(cv) > CV_CHARS,
        job=(job or "")[:JOB_CHARS],
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


async def _write(
    runtime: Runtime,
    user_id: uuid.UUID,
    round_type: RoundType,
    project: str | None,
    cv: str,
    job: str | None,
) -> CvQuestion | None:
    """The model's question, or None (logged) when it cannot be had."""
    assert runtime.llm is not None
    schema = reply_schema(key_point_criteria(runtime.content.rubrics[round_type]))
    try:
        await limits.llm_call(runtime=runtime, user_id=user_id)
        # one bound on the whole call, retries included: the candidate is waiting to start
        async with asyncio.timeout(runtime.settings.llm_timeout_seconds):
            written, _ = await runtime.llm.structured(
                messages(runtime.content, round_type, project=project, cv=cv, job=job),
                schema,
                purpose="tailoring",
            )
    except (LLMError, RateLimited, TimeoutError) as error:
        log.warning("the LLM's CV question failed (%s); the bank's CV question is asked", error)
        return None
    return written


async def ask_about_cv(
    *,
    runtime: Runtime,
    user_id: uuid.UUID,
    round_type: RoundType,
    cv: str | None,
    job_description: str | None,
    question_ids: Sequence[str],
    fit: Tailoring,
) -> tuple[list[str], Tailoring]:
    """With an LLM and a CV, a question written about one of its projects in place of the first
    question asked about a project (or the first question): the questions and tailoring."""
    asked = list(question_ids)
    if runtime.llm is None or not cv or round_type not in CV_ROUNDS or not asked:
        return asked, fit
    replaced = next((q for q in asked if q in fit.asked_about), asked[0])
    suggested = fit.asked_about.get(replaced) or (fit.projects[0] if fit.projects else None)
    written = await _write(runtime, user_id, round_type, suggested, cv, job_description)
    if written is None:
        return asked, fit
    try:
        question = to_question(written, round_type)
    except ValidationError as error:
        log.warning(
            "the LLM's CV question is not a valid question (%s); the bank's is asked", error
        )
        return asked, fit
    project = tailoring.clean_name(written.project) or suggested or question.title
    about = {q: p for q, p in fit.asked_about.items() if q != replaced}
    return (
        [CV_QUESTION_ID if q == replaced else q for q in asked],
        fit.model_copy(
            update={"asked_about": {**about, CV_QUESTION_ID: project}, "question": question}
        ),
    )
