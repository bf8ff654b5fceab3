"""What a scorer produces, before it is stored."""

from __future__ import annotations

from typing import Literal, cast

from pydantic import BaseModel, Field

Recommendation = Literal[
    "strong_hire", "hire", "no_hire", "strong_no_hire", "not_enough_evidence"
]
RECOMMENDATION_LABELS: dict[str, str] = {
    "strong_hire": "Strong hire",
    "hire": "Hire",
    "no_hire": "No hire",
    "strong_no_hire": "Strong no hire",
    "not_enough_evidence": "Not enough evidence",
}
# below this share of the rubric's weight assessed, an interview supports no recommendation;
# a strong hire needs every criterion assessed
MIN_ASSESSED_SHARE = 0.6
# this many wrong claims held (stated, never corrected) rule out a hire
HELD_WRONG_NO_HIRE = 2
# an interview the candidate ended early supports a hire only when they spoke to at least this
# share of what the questions asked cover: two good answers out of seven points are no evidence
# for a hire, however good (the criteria never reached are left out of the mean)
MIN_SPOKEN_SHARE = 0.5
# the weighted 1-4 score a hire needs
HIRE_BAR = 2.5


def stored_recommendation(value: str) -> Recommendation:
    """A recommendation read back from the database (a plain string column), typed."""
    if value not in RECOMMENDATION_LABELS:
        raise ValueError(f"unknown recommendation {value!r}")
    return cast(Recommendation, value)


class Evidence(BaseModel):
    """A verbatim quote from a candidate message."""

    quote: str = Field(max_length=600)
    message_seq: int


class CriterionResult(BaseModel):
    """One criterion's grade; score None when the interview never reached the criterion."""

    criterion_id: str
    name: str
    score: int | None = Field(ge=1, le=4)
    max_score: int = 4
    rationale: str
    evidence: list[Evidence] = Field(default_factory=list)

    @property
    def assessed(self) -> bool:
        """False for a criterion the interview never reached: it has no score."""
        return self.score is not None


class MissedPoint(BaseModel):
    """A key point the candidate did not cover."""

    question_id: str
    key_point_id: str
    text: str
    question_title: str = ""


class ScoreResult(BaseModel):
    """A complete grade of one interview."""

    criteria: list[CriterionResult]
    missed_points: list[MissedPoint]
    overall: float
    recommendation: Recommendation
    summary: str
    hints_used: int
    dropped_quotes: int = 0
    grader: str


def recommend(
    overall: float,
    *,
    assessed_share: float = 1.0,
    held_wrong: int = 0,
    defended: int = 0,
    spoken_share: float = 1.0,
    unshown_floor: float | None = None,
    no_code: bool = False,
) -> Recommendation:
    """Round the weighted 1-4 score to the nearest anchor, when enough of the rubric was
    assessed to support one (`assessed_share`: the assessed criteria's share of its weight).
    Wrong claims the candidate held (stated and never corrected, `held_wrong`) weigh as they do
    with an interviewer: one rules out a strong hire, two rule out a hire, however much else
    was right; so does one of them `defended` (said again right after the interviewer pushed
    back on it: the candidate was told and held to it). A hire also needs the candidate to have
    spoken to most of what the interview planned (`spoken_share`, below 1 only when they ended
    it early): otherwise there is not enough evidence for one, while a no hire stands on what
    was said; and the hire must stand with the criteria never reached at their lowest level
    (`unshown_floor`, the overall so counted; None when the interview was not ended early):
    the mean of what was reached alone leaves out what the candidate chose not to show. In a
    round that assesses code, a solution talked through and never written
    (`no_code`) is no hire at most: the interviewer never saw it work."""
    if assessed_share < MIN_ASSESSED_SHARE:
        return "not_enough_evidence"
    if overall < 1.5:
        return "strong_no_hire"
    if overall < HIRE_BAR or held_wrong >= HELD_WRONG_NO_HIRE or defended or no_code:
        return "no_hire"
    if spoken_share < MIN_SPOKEN_SHARE or (unshown_floor is not None and unshown_floor < HIRE_BAR):
        return "not_enough_evidence"
    if overall >= 3.5 and assessed_share == 1 and not held_wrong:
        return "strong_hire"
    return "hire"


def held_wrong_note(held_wrong: int, defended: int = 0) -> str:
    """What the summary says of wrong claims that weighed on the recommendation."""
    if defended:
        return (
            " A wrong claim was held after the interviewer pushed back on it, and not corrected: "
            "no hire at most."
        )
    if held_wrong >= HELD_WRONG_NO_HIRE:
        return f" {held_wrong} claims were stated wrongly and not corrected: no hire at most."
    if held_wrong:
        return " One claim was stated wrongly and not corrected: not a strong hire."
    return ""


NO_CODE_NOTE = (
    " No code was written or submitted in a round that assesses code, so the solution was "
    "never seen to work: no hire at most."
)
