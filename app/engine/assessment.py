"""The assessment of one candidate message: what it asks for, what it covers, what it gets wrong.

The one value the director decides from and the scorer grades from, so the interview and the
scorecard never disagree about what was said. Two backends produce it (`backend`): the offline
assessor (deterministic text analysis) and an LLM. Quotes are the candidate's own words, each a
verbatim substring of the message. JSON-serialisable: it is stored with the message.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.engine.intent import PRIORITY, Intent

Status = Literal["covered", "partial", "wrong", "not_addressed"]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ItemStatus(_Frozen):
    """How the message treats one key point or checklist section."""

    id: str
    status: Status
    # the sentence that shows it, verbatim; None when not addressed
    quote: str | None = None
    # the words that matched inside the quote, verbatim (what an acknowledgement can refer to)
    said: str | None = None
    # the point's items the message named, in its words and order, when it named several ("mutual
    # exclusion", ..., "circular wait"): an acknowledgement names the list, not one of them
    named: tuple[str, ...] = ()


class Claim(_Frozen):
    """An incorrect or unsupported claim in the message."""

    quote: str
    # for the interviewer only: why it is wrong; never shown to the candidate mid-interview
    note: str
    key_point: str | None = None
    # the push-back for a claim no key point's challenge fits (a figure said back wrongly)
    challenge: str | None = None


class Assessment(_Frozen):
    """One candidate message, read against the question, its key points and the checklist."""

    intents: tuple[Intent, ...] = Field(min_length=1)
    key_points: tuple[ItemStatus, ...] = ()
    sections: tuple[ItemStatus, ...] = ()
    claims: tuple[Claim, ...] = ()
    # a list of terms (commas, bullets, one per line, a sentence repeated) instead of reasons
    keyword_list: bool = False
    # components named one per item, explaining none ("idempotency keys with a unique constraint,
    # a state machine with pending state, a double entry ledger, ..."): what it names is said in
    # part, and the interviewer takes the pieces one at a time (`rollcall`)
    rollcall: bool = False
    # indices of the question's assumptions a clarifying question asks about
    assumptions: tuple[int, ...] = ()
    # the topic's deep dives the message answers before they are asked (by index)
    dives: tuple[int, ...] = ()
    # the candidate asked to hear the question again ("Sorry, could you repeat that?")
    restate: bool = False
    # ... put more simply ("can you say it in simpler terms?"): rephrased, not read out again
    simpler: bool = False
    # the message goes back to something said before ("I said 500 tokens, but ..."): with
    # nothing new on the question just asked, that question is still on the table
    goes_back: bool = False
    # the message only checks in on the answer just given ("does that answer your question?"):
    # told where the answer stands, with the question on the table
    check_in: bool = False
    # a choice of the design put to the interviewer ("would a fixed window work instead?",
    # "should I use a heap?"): the candidate's call, handed back to weigh
    choice: bool = False
    # the key points a request for help names ("stuck on duplicates, hint?"), best first
    asks_about: tuple[str, ...] = ()
    # the checklist section a request for help names when no key point is about it ("I'm
    # blanking on the features part")
    asks_section: str | None = None
    # of those, the ones whose follow-up the request itself asks ("how do I build the patch
    # matrix without a loop?"): handing that question back would be no help
    asked_themselves: tuple[str, ...] = ()
    # the message opens by granting a push-back ("ok fair, ...", "you're right"): right after a
    # challenge, what follows is the answer to it, the claim given up
    concedes: bool = False
    # the whole message asks for more of what it was just given ("another?", "one more pls"):
    # right after a hint, the next hint
    more: bool = False
    # the answer said what the candidate would do, where a real past example was asked for
    hypothetical: bool = False
    # the answer is to another question: a story about something else than what a behavioral
    # question asks, or the solution of another problem
    another_question: bool = False
    # content words of its answer the candidate had not said on the question before, nor the
    # question itself: an answer that covers no new key point can still say something new (the
    # reason asked for by a deep dive), or only say again what was said
    fresh: int = 0
    backend: Literal["offline", "llm"]

    def has(self, intent: Intent) -> bool:
        """True when the message carries this intent anywhere."""
        return intent in self.intents

    @property
    def primary(self) -> Intent:
        """The intent that decides what happens to the message as a whole."""
        return next((i for i in PRIORITY if i in self.intents), Intent.answer)

    def with_status(self, status: Status) -> list[ItemStatus]:
        """Key points then sections with this status, in content order."""
        return [s for s in (*self.key_points, *self.sections) if s.status == status]

    def status_of(self, item_id: str, *, section: bool = False) -> ItemStatus | None:
        """The status of one key point (or, with section, one checklist section), if assessed:
        a key point and a section may share an id ("scaling")."""
        items = self.sections if section else self.key_points
        return next((s for s in items if s.id == item_id), None)
