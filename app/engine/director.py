"""The director: a pure function from (state, candidate message, elapsed time) to the next move.

It never does I/O and never reads a clock; the service passes elapsed seconds in. The same
director drives the offline and the LLM interviewer, so tests drive it directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import zip_longest

from app.content.models import RoundSpec
from app.engine.intent import Intent, classify
from app.engine.matching import first_match, tokens
from app.engine.moves import CodeOutcome, Decision, Move, MoveKind
from app.engine.state import InterviewState, QuestionProgress
from app.engine.text import units
from app.engine.topics import Topic

UNPRODUCTIVE = {Intent.dont_know, Intent.too_short, Intent.gibberish}
TIME_WARNING_FRACTION = 0.75
# a new question needs at least this share of the time one question is planned to take
MIN_SHARE_FOR_NEXT_QUESTION = 0.5


@dataclass(frozen=True)
class Director:
    """Runs one interview's script: its round and the topics chosen for it."""

    spec: RoundSpec
    topics: Sequence[Topic]

    def start(self, *, budget_seconds: int) -> Decision:
        """Open the interview: greet, explain the format, ask the first question."""
        state = InterviewState(
            round=self.spec.id,
            plan=[t.id for t in self.topics],
            budget_seconds=budget_seconds,
            progress=[QuestionProgress(topic_id=self.topics[0].id)],
            last_move=MoveKind.open,
        )
        return Decision(move=Move(kind=MoveKind.open, topic_id=self.topics[0].id), state=state)

    def decide(
        self,
        *,
        state: InterviewState,
        text: str,
        elapsed_seconds: float,
        code: CodeOutcome | None = None,
    ) -> Decision:
        """Choose the next move after the candidate's message (or code submission and results)."""
        state = state.model_copy(deep=True)
        state.turns += 1
        if code is not None and state.phase == "question":
            move = self._on_code(state, text, code, elapsed_seconds)
        else:
            move = self._choose(state, text, elapsed_seconds)
        if state.phase == "question" and not state.time_warned and move.kind in _WARNABLE:
            minutes_left = self._minutes_left(state, elapsed_seconds)
            if elapsed_seconds >= TIME_WARNING_FRACTION * state.budget_seconds:
                state.time_warned = True
                move = move.model_copy(update={"minutes_left": minutes_left})
        state.last_move = move.kind
        return Decision(move=move, state=state)

    def _choose(self, state: InterviewState, text: str, elapsed: float) -> Move:
        topic = self.topics[state.index]
        if state.phase == "closed":
            return Move(kind=MoveKind.close, topic_id=topic.id, reason="already_closed")
        if state.phase == "candidate_questions":
            state.phase = "closed"
            return Move(kind=MoveKind.close, topic_id=topic.id)
        intent = classify(text)
        if intent is Intent.finish:
            return self._wrap_up(state, topic, reason="candidate")
        if elapsed >= state.budget_seconds:
            state.current.outcome = "time"
            return self._wrap_up(state, topic, reason="time")
        if intent is Intent.hint:
            return self._hint(state, topic)
        if intent is Intent.clarify:
            return Move(kind=MoveKind.clarify, topic_id=topic.id, text=topic.prompt)
        if intent is Intent.skip:
            return self._advance(state, elapsed, outcome="skipped")
        return self._respond(state, topic, text, intent, elapsed)

    def _on_code(self, state: InterviewState, text: str, code: CodeOutcome, elapsed: float) -> Move:
        """React to submitted code: the failing case first; once it passes, the next gap."""
        topic = self.topics[state.index]
        progress = state.current
        progress.submissions += 1
        progress.unproductive = 0
        newly = self._cover(progress, topic, [u.tokens for u in units(text) if u.kind != "list"])
        if elapsed >= state.budget_seconds:
            progress.outcome = "time"
            move = self._wrap_up(state, topic, reason="time")
        elif code.status != "passed":
            move = Move(kind=MoveKind.code_result, topic_id=topic.id, reason=code.status)
        else:
            progress.solved = True
            progress.answers += 1
            gap = self._next_gap(progress, topic)
            if gap is None or len(progress.probed) >= self.spec.follow_ups_per_question:
                outcome = "covered" if gap is None else "limit"
                move = self._advance(state, elapsed, outcome=outcome, acknowledged=bool(newly))
            else:
                kind, target_id, prompt = gap
                progress.probed.append(target_id)
                move = Move(kind=kind, topic_id=topic.id, target_id=target_id, text=prompt)
        return move.model_copy(update={"code": code})

    def _respond(
        self, state: InterviewState, topic: Topic, text: str, intent: Intent, elapsed: float
    ) -> Move:
        progress = state.current
        pieces = units(text)
        evidence = [u.tokens for u in pieces if u.kind != "list"]
        newly = self._cover(progress, topic, evidence)
        listed = not newly and any(u.kind == "list" for u in pieces)
        off_topic = (
            intent is Intent.answer and not newly and not (set(tokens(text)) & topic.vocabulary)
        )
        if intent in UNPRODUCTIVE or off_topic or listed:
            progress.unproductive += 1
            if progress.unproductive >= 3:
                return self._advance(state, elapsed, outcome="stuck")
            reason = "keyword_list" if listed else "off_topic" if off_topic else intent.value
            return Move(
                kind=MoveKind.encourage,
                topic_id=topic.id,
                reason=reason,
                hint_level=progress.hints_used,
            )
        progress.unproductive = 0
        progress.answers += 1
        gap = self._next_gap(progress, topic)
        if gap is None:
            return self._advance(state, elapsed, outcome="covered", acknowledged=bool(newly))
        if len(progress.probed) >= self.spec.follow_ups_per_question:
            return self._advance(state, elapsed, outcome="limit", acknowledged=bool(newly))
        kind, target_id, prompt = gap
        progress.probed.append(target_id)
        return Move(
            kind=kind, topic_id=topic.id, target_id=target_id, text=prompt, acknowledged=bool(newly)
        )

    def _cover(
        self, progress: QuestionProgress, topic: Topic, evidence: list[list[str]]
    ) -> list[str]:
        """Record the key points and checklist sections some unit of the answer evidences."""

        def said(phrases: tuple[str, ...]) -> bool:
            return any(first_match(unit, phrases) for unit in evidence)

        newly = []
        for point in topic.key_points:
            if point.id not in progress.covered and said(point.phrases):
                progress.covered.append(point.id)
                newly.append(point.id)
        for section in self.spec.checklist:
            if section.id not in progress.sections and said(section.phrases):
                progress.sections.append(section.id)
                newly.append(section.id)
        return newly

    def _next_gap(
        self, progress: QuestionProgress, topic: Topic
    ) -> tuple[MoveKind, str, str] | None:
        """The most important uncovered point not yet asked about, as (kind, id, prompt)."""
        follow_ups = {f.key_point: f.prompt for f in topic.follow_ups}
        points = sorted(topic.key_points, key=lambda kp: -kp.weight)
        point_gaps = [
            (MoveKind.follow_up, kp.id, follow_ups[kp.id])
            for kp in points
            if kp.id not in progress.covered
            and kp.id not in progress.probed
            and kp.id in follow_ups
        ]
        probe_index = len(progress.probed)
        section_gaps = [
            (MoveKind.probe, s.id, s.probes[probe_index % len(s.probes)])
            for s in self.spec.checklist
            if s.id not in progress.sections and s.id not in progress.probed
        ]
        if self.spec.checklist_first:  # alternate: a missing part, then a missing point, ...
            last_was_section = bool(progress.probed) and progress.probed[-1] in {
                s.id for s in self.spec.checklist
            }
            first, second = (
                (point_gaps, section_gaps) if last_was_section else (section_gaps, point_gaps)
            )
            ordered = [gap for pair in zip_longest(first, second) for gap in pair if gap]
        else:
            ordered = point_gaps + section_gaps
        return ordered[0] if ordered else None

    def _hint(self, state: InterviewState, topic: Topic) -> Move:
        progress = state.current
        ladder = len(topic.hints) if topic.hints else 3
        if progress.hints_used >= ladder:
            return Move(kind=MoveKind.no_more_hints, topic_id=topic.id)
        progress.hints_used += 1
        level = progress.hints_used
        text = topic.hints[level - 1] if topic.hints else None
        target = None
        if topic.custom:
            missing = [s for s in self.spec.checklist if s.id not in progress.sections]
            target = missing[0].id if missing else None
        return Move(
            kind=MoveKind.hint, topic_id=topic.id, hint_level=level, text=text, target_id=target
        )

    def _advance(
        self, state: InterviewState, elapsed: float, *, outcome: str, acknowledged: bool = False
    ) -> Move:
        state.current.outcome = outcome  # type: ignore[assignment]
        has_next = state.index + 1 < len(self.topics)
        share = state.budget_seconds / max(len(self.topics), 1)
        time_left = state.budget_seconds - elapsed
        if not has_next or time_left < MIN_SHARE_FOR_NEXT_QUESTION * share:
            reason = outcome if not has_next else "time"
            return self._wrap_up(
                state, self.topics[state.index], reason=reason, acknowledged=acknowledged
            )
        state.index += 1
        topic = self.topics[state.index]
        state.progress.append(
            QuestionProgress(
                topic_id=topic.id, started_at_seconds=elapsed, started_turn=state.turns
            )
        )
        return Move(
            kind=MoveKind.next_question,
            topic_id=topic.id,
            reason=outcome,
            acknowledged=acknowledged,
        )

    def _wrap_up(
        self, state: InterviewState, topic: Topic, *, reason: str, acknowledged: bool = False
    ) -> Move:
        state.phase = "candidate_questions"
        return Move(
            kind=MoveKind.wrap_up, topic_id=topic.id, reason=reason, acknowledged=acknowledged
        )

    @staticmethod
    def _minutes_left(state: InterviewState, elapsed: float) -> int:
        return max(0, round((state.budget_seconds - elapsed) / 60))


_WARNABLE = {
    MoveKind.follow_up,
    MoveKind.probe,
    MoveKind.next_question,
    MoveKind.encourage,
    MoveKind.code_result,
}
