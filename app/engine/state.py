"""The director's memory of an interview, stored as JSON beside the interview row."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.content.models import RoundType
from app.engine.assessment import Claim

Phase = Literal["question", "candidate_questions", "closed"]

Outcome = Literal["open", "covered", "skipped", "stuck", "limit", "time", "stale"]


class QuestionProgress(BaseModel):
    """What happened on one question so far."""

    model_config = ConfigDict(extra="forbid")

    topic_id: str
    covered: list[str] = Field(default_factory=list)
    sections: list[str] = Field(default_factory=list)
    probed: list[str] = Field(default_factory=list)
    # key points said only with a hedge, stated wrongly, and challenged so far
    partial: list[str] = Field(default_factory=list)
    wrong: list[str] = Field(default_factory=list)
    challenged: list[str] = Field(default_factory=list)
    # the wrong versions challenged (by their note): another myth about a challenged point is
    # challenged in its own right, not taken for the first one held
    myths: list[str] = Field(default_factory=list)
    # challenged points whose wrong claim was held right after its challenge, and answered once
    insisted: list[str] = Field(default_factory=list)
    # wrong claims said in the message with one that was challenged: challenged next, once the
    # candidate has answered that one
    pending: list[Claim] = Field(default_factory=list)
    # challenged points that the answer right after a challenge put right: a claim challenged
    # and never corrected stands, whatever else is later said about its point
    corrected: list[str] = Field(default_factory=list)
    # key points whose follow-up got an answer about other points instead (asked, not
    # answered), and those of them asked once more before the answer was called complete
    dodged: list[str] = Field(default_factory=list)
    # the sections a message told as another story covered: not credited while redirected, and
    # taken once the next message carries the same story on to what was asked
    set_aside: list[str] = Field(default_factory=list)
    revisited: list[str] = Field(default_factory=list)
    # a choice of the design was put to the interviewer and handed back ("your call"): the
    # answer to it is an aside, and the question on the table is asked again after it
    aside: bool = False
    # the question on the table: the words of the last follow-up, probe, challenge or deep dive
    # (None until one is asked: the question itself), restated when the candidate asks again
    asked: str | None = None
    # deep-dive prompts asked once the answer was complete
    deepened: int = 0
    # deep dives the candidate answered before they were asked (by index): never asked
    answered_dives: list[int] = Field(default_factory=list)
    hints_used: int = 0
    # the hints given on this question, word for word (none is given twice)
    hints_given: list[str] = Field(default_factory=list)
    # the key points a hint was about while they were still open: made afterwards, with help
    hinted: list[str] = Field(default_factory=list)
    answers: int = 0
    unproductive: int = 0
    # answers in a row that added nothing (nothing new covered, hedged or claimed)
    stale: int = 0
    started_at_seconds: float = 0.0
    # candidate messages numbered above this (1-based) belong to this question
    started_turn: int = 0
    # code submissions on this question, and whether one passed every test
    submissions: int = 0
    # asked to write the code before moving on, when the candidate wanted to move on without
    asked_for_code: bool = False
    solved: bool = False
    outcome: Outcome = "open"

    def followed_up(self) -> list[str]:
        """The points whose follow-up was asked: a challenge also probes its point (once), so a
        point only challenged was never asked its follow-up."""
        asked = dict.fromkeys(self.probed)
        return [p for p in asked if self.probed.count(p) > (p in self.challenged)]


class InterviewState(BaseModel):
    """Everything the director needs to choose the next move; no I/O, no clock of its own."""

    model_config = ConfigDict(extra="forbid")

    round: RoundType
    plan: list[str]
    budget_seconds: int
    phase: Phase = "question"
    index: int = 0
    turns: int = 0
    progress: list[QuestionProgress] = Field(default_factory=list)
    time_warned: bool = False
    # questions the candidate asked after the technical part
    closing_questions: int = 0
    last_move: str | None = None

    @property
    def current(self) -> QuestionProgress:
        """Progress on the question being asked now."""
        return self.progress[self.index]

    @property
    def hints_used(self) -> int:
        """Hints used across the whole interview."""
        return sum(p.hints_used for p in self.progress)
