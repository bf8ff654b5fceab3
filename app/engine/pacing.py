"""Pacing: how long a question may run and what to ask next, from the clock and the coverage.

No fixed follow-up count: a question may run until its share of the time that is left (the
rest of the budget, less a few minutes for the candidate's questions, split over the questions
not yet finished). Within it, the gaps (uncovered key points with a follow-up, checklist
sections not yet addressed) are asked once each; when the time left would not reach them all,
the checklist goes first so the round reaches every section (a design round must get to
evaluation and serving), then the heaviest key points.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import zip_longest

from app.content.models import RoundSpec
from app.engine.moves import MoveKind
from app.engine.state import InterviewState, QuestionProgress
from app.engine.topics import Topic

# time kept for the candidate's questions at the end
CLOSING_SHARE = 0.07
CLOSING_MAX_SECONDS = 180
# a turn is assumed to take at least this long when estimating how many are left
MIN_TURN_SECONDS = 60


@dataclass(frozen=True)
class Gap:
    """Something the answer has not covered yet, and how to ask about it."""

    kind: MoveKind
    target_id: str
    prompt: str
    name: str  # for the move's reason: a section's name or a key point's follow-up
    section: bool


def closing_reserve(budget_seconds: float) -> float:
    """Seconds kept at the end for the candidate's questions."""
    return min(CLOSING_MAX_SECONDS, CLOSING_SHARE * budget_seconds)


def question_deadline(state: InterviewState, questions: int) -> float:
    """Elapsed seconds by which the current question should end."""
    progress = state.current
    usable = state.budget_seconds - closing_reserve(state.budget_seconds)
    remaining = max(questions - state.index, 1)
    return progress.started_at_seconds + (usable - progress.started_at_seconds) / remaining


def turns_left(state: InterviewState, elapsed: float, deadline: float) -> int:
    """About how many more exchanges fit before the deadline, at this interview's pace."""
    pace = max(MIN_TURN_SECONDS, elapsed / max(state.turns, 1))
    return max(0, int((deadline - elapsed) // pace))


def conceded(progress: QuestionProgress, topic: Topic) -> Gap | None:
    """After a challenge whose answer covered nothing, the challenged point's follow-up if it
    was never asked: a candidate who gives up a wrong approach ("ok, greedy fails") is asked the
    question that leads towards the right one. One who fixed it, or went on to another point,
    has covered something and is not."""
    point = progress.challenged[-1] if progress.challenged else None
    ask = next((f for f in topic.follow_ups if f.key_point == point), None)
    if ask is None or point in progress.covered or point in progress.followed_up():
        return None
    if ask.after is not None and ask.after not in progress.covered:
        return None
    return Gap(MoveKind.follow_up, ask.key_point, ask.prompt, ask.prompt, False)


def gaps(spec: RoundSpec, progress: QuestionProgress, topic: Topic, *, pressed: bool) -> list[Gap]:
    """The gaps to ask about, best first; never one that is covered or was asked already."""
    # a follow-up that builds on another point ("which kind of heap?") waits until it is covered
    follow_ups = {
        f.key_point: f.prompt
        for f in topic.follow_ups
        if f.after is None or f.after in progress.covered
    }
    points = sorted(topic.key_points, key=lambda kp: -kp.weight)
    point_gaps = [
        Gap(MoveKind.follow_up, kp.id, follow_ups[kp.id], follow_ups[kp.id], False)
        for kp in points
        if kp.id not in progress.covered
        and kp.id not in progress.probed
        and kp.id in follow_ups
        and follow_ups[kp.id] not in progress.hints_given  # a hint already asked it
    ]
    probe_index = len(progress.probed)
    section_gaps = [
        Gap(MoveKind.probe, s.id, s.probes[probe_index % len(s.probes)], s.name, True)
        for s in spec.checklist
        if s.id not in progress.sections
        and s.id not in progress.probed
        and s.id not in topic.skip_sections
    ]
    if pressed:  # breadth first: every part of the template before any detail
        return section_gaps + point_gaps
    if spec.checklist_first:  # alternate: a missing part, then a missing point, ...
        sections = {s.id for s in spec.checklist}
        last_was_section = bool(progress.probed) and progress.probed[-1] in sections
        first, second = (
            (point_gaps, section_gaps) if last_was_section else (section_gaps, point_gaps)
        )
        ordered = [gap for pair in zip_longest(first, second) for gap in pair if gap]
        return _account_first(spec, progress, topic, ordered)
    return point_gaps + section_gaps


def _account_first(
    spec: RoundSpec, progress: QuestionProgress, topic: Topic, ordered: list[Gap]
) -> list[Gap]:
    """The lesson waits for the account: until one of the question's points on what the
    candidate did is covered or asked, the parts told after the outcome (a reflection) and
    their key points come last. A failure told in one message ("we missed it by five weeks") is
    followed by what they did and their own part in it, not by "what did you learn?"."""
    own = {s.criterion for s in spec.checklist if s.covered_by == "own_action"}
    account = {p.id for p in topic.key_points if p.criterion in own}
    if not account or account & {*progress.covered, *progress.probed}:
        return ordered
    outcome = next((i for i, s in enumerate(spec.checklist) if s.outcome), len(spec.checklist))
    later = spec.checklist[outcome + 1 :]
    waiting = {s.id for s in later} | {
        p.id for p in topic.key_points if p.criterion in {s.criterion for s in later}
    }
    return sorted(ordered, key=lambda gap: gap.target_id in waiting)
