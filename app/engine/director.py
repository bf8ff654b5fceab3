"""The director: a pure function from (state, assessment of the message, elapsed time) to a move.

It never does I/O and never reads a clock; the service passes elapsed seconds in and the
assessor's reading of the candidate's message. The same director drives the offline and the
LLM interviewer, so tests drive it directly. Every move carries a short reason for people.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from app.content.models import KeyPoint, RoundSpec
from app.engine.assessment import Assessment, Claim, ItemStatus
from app.engine.gap import hint_for, next_step, subject_of
from app.engine.intent import Intent
from app.engine.moves import CodeOutcome, Decision, Move, MoveKind
from app.engine.pacing import conceded, gaps, question_deadline, turns_left
from app.engine.rephrase import plainly
from app.engine.sections import APPROACH, IMPLEMENTATION, speaks_of
from app.engine.state import InterviewState, Outcome, QuestionProgress
from app.engine.topics import Topic

UNPRODUCTIVE = {Intent.dont_know, Intent.too_short, Intent.gibberish}
TIME_WARNING_FRACTION = 0.75
CLOSING_QUESTIONS_ANSWERED = 3
# answers in a row that add nothing before the question is left
STALE_ANSWERS = 3
# an answer that covers nothing new still adds something when it says this many words new on
# the question: the reason a deep dive asked for, an example, a number
FRESH_WORDS = 8
# a new question needs at least this share of the time one question is planned to take
MIN_SHARE_FOR_NEXT_QUESTION = 0.5
GENERIC_CHALLENGE = "Let's check that step. Why does it hold? Walk me through a small example."
_WHY_UNUSABLE = {
    "dont_know": "the candidate does not know yet: encourage a first step",
    "too_short": "the answer is too short to assess",
    "gibberish": "the message could not be read",
    "keyword_list": "a list of terms, not an explanation",
    "no_story": "no example comes to mind yet: any real time, even a small one, will do",
}


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
        move = Move(kind=MoveKind.open, topic_id=self.topics[0].id, reason="opens the interview")
        return Decision(move=move, state=state)

    def topic_of(self, state: InterviewState) -> Topic:
        """The question being asked in this state (what a message is assessed against)."""
        return self.topics[state.index]

    def decide(
        self,
        *,
        state: InterviewState,
        assessment: Assessment,
        elapsed_seconds: float,
        code: CodeOutcome | None = None,
    ) -> Decision:
        """Choose the next move after the candidate's message (or code submission and results)."""
        state = state.model_copy(deep=True)
        state.turns += 1
        if code is not None and state.phase == "question":
            move = self._on_code(state, assessment, code, elapsed_seconds)
        else:
            move = self._choose(state, assessment, elapsed_seconds)
        late = elapsed_seconds >= TIME_WARNING_FRACTION * state.budget_seconds
        if state.phase == "question" and not state.time_warned and move.kind in _WARNABLE and late:
            state.time_warned = True
            move = move.model_copy(update={"minutes_left": _minutes_left(state, elapsed_seconds)})
        if move.kind in _ASKING and move.text and state.phase == "question":
            state.current.asked = move.text
        # "take your time" and the question restated leave the question on the table: the next
        # answer answers the follow-up or push-back that was asked
        if move.cause not in _ON_THE_TABLE:
            state.last_move = move.kind
        return Decision(move=move, state=state)

    def _choose(self, state: InterviewState, a: Assessment, elapsed: float) -> Move:
        topic = self.topics[state.index]
        if state.phase == "closed":
            return _move(MoveKind.close, topic, "the interview is over", cause="already_closed")
        if state.phase == "candidate_questions":
            return self._closing(state, topic, a)
        if a.has(Intent.finish):
            return self._wrap_up(state, topic, "the candidate asked to finish", cause="candidate")
        if a.primary is Intent.thinking:
            why = "the candidate is thinking aloud, with nothing said yet: time to think"
            return _move(MoveKind.encourage, topic, why, cause="thinking")
        if elapsed >= state.budget_seconds:
            state.current.outcome = "time"
            return self._wrap_up(state, topic, "the time is up", cause="time")
        partial_before = list(state.current.partial)
        if state.last_move == MoveKind.challenge:
            _note_corrections(state.current, a)
        _reopen(state.current, a)
        # covered even when the message also asks for a hint; nothing of another question's answer
        newly = Covered([], []) if a.another_question else _record(state.current, a)
        _set_aside(state.current, a, redirected=state.last_move == MoveKind.redirect)
        if state.last_move == MoveKind.follow_up and not a.has(Intent.hint):
            _note_dodged(topic, state.current, a, newly)
        # "another?" or "one more pls" right after a hint asks for the next one
        more = a.more and state.last_move == MoveKind.hint
        if a.has(Intent.hint) or more:
            claim = next((c for c in a.claims if _unheard(c, state.current)), None)
            if claim is not None and not a.has(Intent.skip):
                # a wrong claim beside the request is not let stand for the sake of the hint:
                # pushed back on first (the push-back points at the mistake); the hint waits
                return self._challenge(topic, state.current, claim, a.claims, cause="before_hint")
            return self._hint(state, topic, a, {i.id for i in newly.points})
        if a.has(Intent.skip):
            code_first = self._code_first(state, topic, elapsed)
            if code_first is not None:
                return code_first
            return self._advance(state, elapsed, outcome="skipped")
        asked = a.has(Intent.clarify) or a.has(Intent.question)
        # a question inside a substantive answer ("First, is greedy enough?") is often
        # rhetorical: answer it only when a stated assumption does or the candidate asked to
        # hear the question again; otherwise take the answer
        # ... and a check on their own answer ("so the gradient is p minus y, right?") is one
        said = a.claims or any(k.status != "not_addressed" for k in a.key_points)
        checking = not a.assumptions and not a.restate and bool(said)
        if asked and not checking and (a.assumptions or a.restate or not a.has(Intent.answer)):
            return self._answer(state, topic, a)
        if a.has(Intent.logistics) and not a.has(Intent.answer):
            why = "a question about the interview itself: answered honestly, with the time left"
            minutes_left = _minutes_left(state, elapsed)
            return _move(
                MoveKind.answer_question, topic, why, cause="logistics", minutes_left=minutes_left
            )
        return self._respond(state, topic, a, newly, elapsed, partial_before)

    def _on_code(
        self, state: InterviewState, a: Assessment, code: CodeOutcome, elapsed: float
    ) -> Move:
        """React to submitted code: the failing case first; once it passes, the next gap."""
        topic = self.topics[state.index]
        progress = state.current
        progress.submissions += 1
        progress.unproductive = 0
        newly = _record(progress, a)
        if elapsed >= state.budget_seconds:
            progress.outcome = "time"
            move = self._wrap_up(state, topic, "the time is up", cause="time")
        elif code.status != "passed":
            why = f"the submission did not pass ({code.status.replace('_', ' ')})"
            move = _move(MoveKind.code_result, topic, why, cause=code.status)
        else:
            progress.solved = True
            progress.answers += 1
            move = self._next(state, topic, newly, elapsed)
        return move.model_copy(update={"code": code})

    def _respond(
        self,
        state: InterviewState,
        topic: Topic,
        a: Assessment,
        newly: Covered,
        elapsed: float,
        partial_before: list[str],
    ) -> Move:
        progress = state.current
        claim = next((c for c in a.claims if _unheard(c, progress)), None)
        if claim is not None:
            return self._challenge(topic, progress, claim, a.claims)
        progressed = bool(newly) or any(
            s.status == "partial" and s.id not in partial_before for s in a.key_points
        )
        insisted = next(
            (
                c
                for c in a.claims
                if (c.key_point or c.quote) in progress.challenged
                and (c.key_point or c.quote) not in progress.insisted
            ),
            None,
        )
        held = None
        if state.last_move == MoveKind.challenge and not progressed:
            if insisted is not None:
                held = insisted.key_point or insisted.quote
            elif a.another_question or a.has(Intent.off_topic):
                # a reply to the challenge in words of its own ("sure, but it's cheap; I'd stick
                # with it") is the candidate holding the claim, not another subject
                held = progress.challenged[-1]
        if held is not None and held not in progress.insisted:
            # the same wrong claim right after it was challenged: an interviewer does not argue
            # twice, nor act as if it were accepted; it says so once and the answer stands
            progress.insisted.append(held)
            return _move(
                MoveKind.challenge,
                topic,
                "the candidate holds to a claim already challenged: noted, not accepted",
                target_id=held if held in {p.id for p in topic.key_points} else None,
                said=_clip(insisted.quote) if insisted is not None else None,
                cause="insisted",
            )
        # a wrong claim said with one challenged before: pushed back on once an answer puts
        # nothing new on the table (the correction alone), not forgotten; dropped once its
        # point is put right
        progress.pending = [
            c
            for c in progress.pending
            if _unheard(c, progress) and c.key_point not in progress.covered
        ]
        answered = {i.id for i in newly.points} <= set(progress.challenged)
        if progress.pending and answered and a.has(Intent.answer) and not a.another_question:
            return self._challenge(topic, progress, progress.pending.pop(0))
        if a.another_question:
            progressed = False  # another story's "I learned" is no progress on this one
        # "I've never had a conflict, I tend to get on with everyone" has no story, not a plan
        no_story = a.primary is Intent.dont_know and not a.has(Intent.answer)
        if a.hypothetical and not progressed and not a.keyword_list and not no_story:
            return self._real_example(state, topic, elapsed)
        off_topic = (
            a.has(Intent.off_topic)
            or a.another_question
            or (a.has(Intent.instruct) and not progressed)
        )
        unusable = a.primary in UNPRODUCTIVE or (a.keyword_list and not newly)
        if (off_topic or unusable) and not progressed:
            progress.unproductive += 1
            if progress.unproductive >= 3:
                return self._advance(state, elapsed, outcome="stuck")
            if off_topic:
                cause, why = "off_topic", "the answer drifted off the question"
                if a.has(Intent.instruct):
                    cause, why = "instruct", "instructions to the grader are ignored"
                elif a.another_question:
                    cause, why = "another_question", "the answer is to another question"
                return _move(MoveKind.redirect, topic, why, cause=cause)
            cause = "keyword_list" if a.keyword_list and not newly else a.primary.value
            if cause == "dont_know" and self.spec.past_experience and not progress.sections:
                cause = "no_story"  # nothing told yet: no detail of a story to recall
            return _move(
                MoveKind.encourage,
                topic,
                _WHY_UNUSABLE.get(cause, cause),
                cause=cause,
                hint_level=progress.hints_used,
            )
        progress.unproductive = 0
        progress.answers += 1
        new = progressed or a.claims or a.fresh >= FRESH_WORDS
        progress.stale = 0 if new else progress.stale + 1
        back = _back_to_the_question(self.spec, topic, progress, a) or _back_from_earlier(
            self.spec, topic, state, a, newly
        )
        if back is not None:
            return back
        # a roll call of components: its pieces are taken one at a time, the weightiest first
        named = [k.id for k in a.key_points if k.status == "partial"] if a.rollcall else []
        return self._next(
            state, topic, newly, elapsed, stale=progress.stale >= STALE_ANSWERS, named=named
        )

    def _challenge(
        self,
        topic: Topic,
        progress: QuestionProgress,
        claim: Claim,
        said_with: Sequence[Claim] = (),
        *,
        cause: str | None = None,
    ) -> Move:
        """Push back on a wrong claim, and remember it was; the others `said_with` it are
        challenged next, once this one is answered."""
        progress.challenged.append(claim.key_point or claim.quote)
        progress.myths.append(claim.note)
        if claim.key_point:
            progress.probed.append(claim.key_point)  # the challenge asks about it
        if said_with:
            progress.pending = [
                c for c in dict.fromkeys((*said_with, *progress.pending)) if _unheard(c, progress)
            ]
        text = claim.challenge or _challenge_text(topic, claim.key_point)
        why = "pushes back on a claim that looks wrong"
        if cause == "before_hint":
            why += ", before the hint asked for with it"
        return _move(
            MoveKind.challenge,
            topic,
            why,
            target_id=claim.key_point,
            text=text,
            said=_clip(claim.quote),
            cause=cause,
        )

    def _next(
        self,
        state: InterviewState,
        topic: Topic,
        newly: Covered,
        elapsed: float,
        *,
        stale: bool = False,
        named: Sequence[str] = (),
    ) -> Move:
        """Ask about the next gap, go deeper once complete, or move on when time says so; the
        key points just `named` in a roll call come first."""
        progress = state.current
        asked = progress.probed[-1] if progress.probed else None
        ack = _acknowledgement(self.spec, newly, asked)
        deadline = question_deadline(state, len(self.topics))
        has_next = state.index + 1 < len(self.topics)
        if elapsed >= deadline and has_next:
            return self._advance(state, elapsed, outcome="time", ack=ack)
        if stale:
            return self._advance(state, elapsed, outcome="stale")
        left = turns_left(state, elapsed, deadline)
        pressed = left < len(self._open_gaps(progress, topic))
        found = gaps(self.spec, progress, topic, pressed=pressed)
        if state.last_move == MoveKind.challenge and not newly:
            found = [*filter(None, [conceded(progress, topic)]), *found]
        if named:
            found.sort(key=lambda g: g.section or g.target_id not in named)
        # rounds led by key points (coding, theory) go deeper once the points are covered,
        # before the generic checklist; checklist rounds cover every section first
        while progress.deepened in progress.answered_dives:
            progress.deepened += 1  # answered before it was asked
        deeper = progress.deepened < len(topic.deep_dives) and left > 0
        code_only = False  # the only gap left before going deeper is the code itself
        if deeper and not self.spec.checklist_first and all(g.section for g in found):
            # ... except the code itself: a round that assesses code asks to see it once the
            # idea is on the table, before proofs and variants of an answer never written down
            found = [
                g
                for g in found
                if self.spec.code_required
                and g.target_id == IMPLEMENTATION
                and not progress.submissions
            ]
            code_only = bool(found)
        if (not found or code_only) and left > 0:
            # before "the answer is complete": a weighty point asked once and answered with
            # another point instead is asked once more, not dropped in silence
            back = _revisit(topic, progress)
            if back is not None:
                progress.revisited.append(back.id)
                progress.probed.append(back.id)
                why = "a key point asked earlier and answered with another point: asked again"
                text = _challenge_text(topic, back.id, challenge=False)
                return _move(
                    MoveKind.probe, topic, why, target_id=back.id, text=text, cause="revisit", **ack
                )
        if found and (left > 0 or not has_next):
            gap = found[0]
            progress.probed.append(gap.target_id)
            if gap.target_id == IMPLEMENTATION:
                progress.asked_for_code = True  # asked once: not again when they move on
            why = f"{gap.name} not yet discussed" if gap.section else "a key point not yet covered"
            if gap.target_id in progress.partial:
                why = "a key point said only tentatively"
            if gap.target_id in named and not gap.section:
                why = "components named in a roll call, none explained: one at a time"
                return _move(
                    gap.kind, topic, why, target_id=gap.target_id, text=gap.prompt, cause="rollcall"
                )
            return _move(gap.kind, topic, why, target_id=gap.target_id, text=gap.prompt, **ack)
        if deeper:
            text = topic.deep_dives[progress.deepened].ask
            progress.deepened += 1
            why, cause = "the answer is complete: going deeper", None
            if any(p.id not in progress.covered for p in topic.key_points):
                # asked about and left open, not covered: the reply must not say it covers them
                why, cause = "every open key point was asked about: going deeper", "open_points"
            return _move(MoveKind.deepen, topic, why, text=text, cause=cause, **ack)
        outcome: Outcome = "covered" if not found else "time"
        return self._advance(state, elapsed, outcome=outcome, ack=ack)

    def _code_first(self, state: InterviewState, topic: Topic, elapsed: float) -> Move | None:
        """In a coding round, a candidate who has an approach but wants to move on before
        submitting any code is asked once to write it in the editor: the code is what the
        round assesses (talking about the implementation is not code that runs)."""
        progress = state.current
        section = next((s for s in self.spec.checklist if s.id == IMPLEMENTATION), None)
        if (
            section is None
            or section.id in topic.skip_sections
            or progress.asked_for_code
            or progress.submissions
            or not (progress.covered or APPROACH in progress.sections)
            or elapsed >= question_deadline(state, len(self.topics))
        ):
            return None
        progress.asked_for_code = True
        why = "the candidate wants to move on before writing any code: asked for it once"
        return _move(
            MoveKind.probe,
            topic,
            why,
            target_id=section.id,
            text=section.probes[0],
            cause="code_first",
        )

    def _real_example(self, state: InterviewState, topic: Topic, elapsed: float) -> Move:
        """A plan of what they would do, where a story was asked for: ask for a time it
        actually happened (the scene first), crediting nothing; three in a row move on."""
        progress = state.current
        progress.unproductive += 1
        if progress.unproductive >= 3:
            return self._advance(state, elapsed, outcome="stuck")
        scene = next((s.id for s in self.spec.checklist if s.id not in progress.sections), None)
        why = "a hypothetical answer, not a past example: asks for a real one"
        return _move(MoveKind.probe, topic, why, target_id=scene, cause="hypothetical")

    def _open_gaps(self, progress: QuestionProgress, topic: Topic) -> list[str]:
        sections = [s.id for s in self.spec.checklist if s.id not in topic.skip_sections]
        return [s for s in sections if s not in progress.sections and s not in progress.probed]

    def _answer(self, state: InterviewState, topic: Topic, a: Assessment) -> Move:
        """A clarifying question answered from the question's assumptions, or restated."""
        answers = [topic.assumptions[i].answer for i in a.assumptions]
        if answers:
            why = "answers a clarifying question from the stated assumptions"
            return _move(
                MoveKind.answer_question, topic, why, text=" ".join(answers), cause="assumption"
            )
        if a.choice and not self.spec.past_experience:
            why = "a choice of the design put to the interviewer: the candidate's to weigh"
            state.current.aside = True
            return _move(MoveKind.clarify, topic, why, cause="choice")
        if a.has(Intent.question) and not a.has(Intent.clarify):
            why = "a question for the interviewer: answered honestly, then back to the question"
            return _move(MoveKind.answer_question, topic, why, cause="for_interviewer")
        if a.check_in:
            progress = state.current
            # the reply to that answer moved on (took it) or kept at it (a push-back, a redirect)
            took = state.last_move in _MOVED_ON
            why = "the candidate checks the answer was what was asked: says so, and the question"
            cause = "check_in" if took else "check_in_open"
            text = progress.asked or topic.prompt
            return _move(MoveKind.clarify, topic, why, text=text, cause=cause)
        if a.restate:
            why = "the candidate asked to hear the question again: restates the one on the table"
            progress = state.current
            asked = progress.asked or topic.prompt
            # a follow-up, probe or challenge asked about a point (a deep dive about none)
            pending = state.last_move in _ASKING - {MoveKind.deepen} and progress.probed
            target = progress.probed[-1] if pending else None
            if a.simpler:
                why = "the candidate asked for the question in simpler words: rephrases its ask"
                text = plainly(topic, progress.asked)
                return _move(
                    MoveKind.clarify, topic, why, text=text, target_id=target, cause="simpler"
                )
            return _move(
                MoveKind.clarify, topic, why, text=asked, target_id=target, cause="repeat"
            )
        why = "a clarifying question no stated assumption answers: the candidate may assume"
        return _move(MoveKind.clarify, topic, why, cause="open")

    def _closing(self, state: InterviewState, topic: Topic, a: Assessment) -> Move:
        if a.primary is Intent.thinking:  # "hmm, let me think if I have any": not a no
            why = "the candidate is thinking about their questions"
            return _move(MoveKind.encourage, topic, why, cause="thinking")
        asked = a.has(Intent.question) or a.has(Intent.clarify) or a.has(Intent.logistics)
        if asked and state.closing_questions < CLOSING_QUESTIONS_ANSWERED:
            state.closing_questions += 1
            why = "answers the candidate's question honestly"
            return _move(MoveKind.answer_question, topic, why, cause="closing")
        state.phase = "closed"
        return _move(MoveKind.close, topic, "the candidate has no more questions")

    def _hint(
        self, state: InterviewState, topic: Topic, a: Assessment, just_said: set[str]
    ) -> Move:
        """A hint about the gap the candidate named, else about the point on the table, else
        the ladder's next step; never the same hint twice. A point the request's own message
        covered (`just_said`: "I know it's the NLL, but how do I search for T?") may be named."""
        progress = state.current
        ladder = len(topic.hints) if topic.hints else 3
        if progress.hints_used >= ladder:
            return _move(MoveKind.no_more_hints, topic, "all hints for this question are used")
        if (on_part := self._part_hint(state, topic, a, just_said)) is not None:
            progress.hints_used += 1
            progress.hints_given.append(on_part.text)
            progress.asked = on_part.text  # the part's own question, now on the table
            why = f"the candidate asked for a hint on a part no key point is about ({on_part.id})"
            return _move(
                MoveKind.hint,
                topic,
                why,
                hint_level=progress.hints_used,
                text=on_part.text,
                target_id=on_part.id,
                cause="section",
            )
        target, text, about = self._aimed_hint(state, topic, a, just_said)
        cause = None
        if text is None:
            wanted = target
            said, asked = _said(topic, progress), _followed_up(progress)
            text = next_step(topic, said, progress.covered, asked, _attempted(progress))
            # a point's follow-up given as the hint is about that point
            target = next((f.key_point for f in topic.follow_ups if f.prompt == text), None)
            about = ""
            if wanted and text is not None and (target or subject_of(topic, text)) != wanted:
                # nothing left about what they are stuck on short of the answer: said so, not
                # passed off as a hint about it
                about, cause = " about another part (none left about theirs)", "elsewhere"
        if text is not None and text in _out_of_reach(topic, state):
            why = "the candidate asked for a hint; what is left nearly gives the answer: not yet"
            return _move(MoveKind.hint, topic, why, cause="held_back")
        if text is None and topic.hints:
            if all(p.id in progress.covered for p in topic.key_points):
                why = "the candidate asked for a hint, but has covered what the hints lead to"
                return _move(MoveKind.hint, topic, why, cause="all_covered")
            # what is left was asked already (its follow-up, its challenge): not a hint again
            why = "the candidate asked for a hint, but every hint left was already asked"
            return _move(MoveKind.hint, topic, why, cause="all_asked")
        progress.hints_used += 1
        if text is not None:
            progress.hints_given.append(text)
            helped = target if target in {p.id for p in topic.key_points} else None
            helped = helped or subject_of(topic, text)
            if helped and helped not in progress.covered and helped not in progress.hinted:
                progress.hinted.append(helped)
        level = progress.hints_used
        if topic.custom:
            missing = [s for s in self.spec.checklist if s.id not in progress.sections]
            target = missing[0].id if missing else None
        why = f"the candidate asked for a hint{about} ({level} of {ladder})"
        return _move(
            MoveKind.hint, topic, why, hint_level=level, text=text, target_id=target, cause=cause
        )

    def _part_hint(
        self, state: InterviewState, topic: Topic, a: Assessment, just_said: set[str]
    ) -> _PartHint | None:
        """A hint on the part of the answer the request names ("I'm blanking on the features
        part"), when the hint it would otherwise get is about something else (the ranker's
        baseline): that part's question not asked yet, if any."""
        progress = state.current
        section = next((s for s in self.spec.checklist if s.id == a.asks_section), None)
        if section is None:
            return None
        _, text, _ = self._aimed_hint(state, topic, a, just_said)
        if text is None:
            said, asked = _said(topic, progress), _followed_up(progress)
            text = next_step(topic, said, progress.covered, asked, _attempted(progress))
        if text is not None and speaks_of(section, text):
            return None
        given = {*progress.hints_given, progress.asked}
        probe = next((p for p in section.probes if p not in given), None)
        return _PartHint(section.id, probe) if probe is not None else None

    def _aimed_hint(
        self, state: InterviewState, topic: Topic, a: Assessment, just_said: set[str]
    ) -> tuple[str | None, str | None, str]:
        """(point, hint, why) for the gap named in the request, or for the key point the last
        question asked about; (that point, None, "") when it has no hint left, (None, None, "")
        when there is no such point."""
        progress = state.current
        named = [p for p in a.asks_about if p not in progress.covered or p in just_said]
        on_table = (
            progress.probed[-1]
            if progress.probed
            # a follow-up, a push-back, or a point's question asked again (a probe)
            and state.last_move in _ASKING - {MoveKind.deepen}
            and progress.probed[-1] in {k.id for k in topic.key_points}
            and progress.probed[-1] not in progress.covered
            else None
        )
        # "another hint?" right after a hint aimed at a point (its follow-up, nudge or challenge,
        # not a step of the ladder, which a bare request climbs): still stuck on that point
        hinted = (
            progress.hinted[-1]
            if on_table is None
            and state.last_move == MoveKind.hint
            and progress.hinted
            and progress.hinted[-1] not in progress.covered
            and progress.hints_given
            and progress.hints_given[-1] not in topic.hints
            else None
        )
        for point, about in [(p, " about the gap they named") for p in named] + (
            [(on_table, " about the point just asked")] if on_table else []
        ) + ([(hinted, " about the point of the last hint")] if hinted else []):
            said, asked = _said(topic, progress), _followed_up(progress)
            held = _out_of_reach(topic, state)
            # a point the request's own message made: only a step of the ladder goes past it
            own = point in a.asked_themselves or point in just_said
            # a bare request right after the point's question: stuck on that question, so a
            # step towards it, never a push-back on an answer not given yet
            bare = point not in named
            text = hint_for(
                topic,
                point,
                said,
                asked,
                own_question=own,
                held=held,
                covered=progress.covered,
                attempted=_attempted(progress) if bare else None,
                also_about=bare,
                just_asked=progress.asked if bare else None,
            )
            if point in just_said and text not in topic.hints:
                continue
            if text is not None:
                return point, text, about
        wanted = next((p for p in named if p not in just_said), on_table or hinted)
        return wanted, None, ""

    def _advance(
        self,
        state: InterviewState,
        elapsed: float,
        *,
        outcome: Outcome,
        ack: dict[str, object] | None = None,
    ) -> Move:
        state.current.outcome = outcome
        ack_fields = ack or {}
        if state.index + 1 >= len(self.topics):
            why = _WHY_MOVING_ON.get(outcome, outcome)
            return self._wrap_up(state, self.topics[state.index], why, cause=outcome, **ack_fields)
        share = state.budget_seconds / len(self.topics)
        if state.budget_seconds - elapsed < MIN_SHARE_FOR_NEXT_QUESTION * share:
            why = "too little time left for another question"
            return self._wrap_up(state, self.topics[state.index], why, cause="time", **ack_fields)
        state.index += 1
        topic = self.topics[state.index]
        state.progress.append(
            QuestionProgress(
                topic_id=topic.id, started_at_seconds=elapsed, started_turn=state.turns
            )
        )
        why = _WHY_MOVING_ON.get(outcome, outcome)
        return _move(MoveKind.next_question, topic, why, cause=outcome, **ack_fields)

    def _wrap_up(
        self, state: InterviewState, topic: Topic, why: str, *, cause: str, **fields: object
    ) -> Move:
        state.phase = "candidate_questions"
        return _move(MoveKind.wrap_up, topic, why, cause=cause, **fields)


class _PartHint(NamedTuple):
    """A checklist section and its question, given as a hint."""

    id: str
    text: str


_WHY_MOVING_ON = {
    "covered": "the question is covered",
    "skipped": "the candidate chose to skip",
    "stuck": "three answers without progress: moving on",
    "stale": "three answers in a row added nothing new: moving on",
    "time": "this question's share of the time is used",
}
_WARNABLE = {
    MoveKind.follow_up,
    MoveKind.probe,
    MoveKind.deepen,
    MoveKind.next_question,
    MoveKind.encourage,
    MoveKind.code_result,
    MoveKind.challenge,
    MoveKind.redirect,
}


# moves that put a question to the candidate in words of their own
_ASKING = frozenset({MoveKind.follow_up, MoveKind.probe, MoveKind.challenge, MoveKind.deepen})
# the causes of moves that leave the question on the table as it was
# ... and so does a word of encouragement after "I don't know": the hint asked for next is
# about the question they could not answer
_ON_THE_TABLE = frozenset(
    {"thinking", "repeat", "simpler", "choice", "check_in", "check_in_open", "dont_know"}
)
# replies that took the answer before them and asked about something else
_MOVED_ON = frozenset({MoveKind.follow_up, MoveKind.deepen, MoveKind.probe, MoveKind.next_question})


def _back_to_the_question(
    spec: RoundSpec, topic: Topic, progress: QuestionProgress, a: Assessment
) -> Move | None:
    """After the answer to an aside (a choice handed back to the candidate), the key point or
    part of the design asked about before it, when that answer left it open: asked again, not
    dropped."""
    if not progress.aside:
        return None
    progress.aside = False
    asked = _left_open(spec, topic, progress, a)
    if asked is None or progress.asked is None:
        return None
    why = "the aside is answered: back to the question on the table"
    return _move(MoveKind.probe, topic, why, target_id=asked, text=progress.asked, cause="back")


def _back_from_earlier(
    spec: RoundSpec,
    topic: Topic,
    state: InterviewState,
    a: Assessment,
    newly: Covered,
) -> Move | None:
    """A reply that goes back to questions asked before the last one ("oh, and on the scaling:
    ...") or corrects what was said before ("I said 500 tokens, but ..."), and leaves the last
    one open: that late answer is taken, and the question just asked is asked again, once,
    rather than dropped for the next."""
    progress = state.current
    if state.last_move not in (MoveKind.follow_up, MoveKind.probe) or progress.asked is None:
        return None
    earlier = set(progress.probed[:-1])
    if newly.points:
        if any(i.id not in earlier for i in newly.points):
            return None
    elif not a.goes_back or newly.sections:
        # nothing new: back to the question only when the answer says it takes up something
        # said before ("I said 500 tokens, but 300 is better"), not an attempt at this one
        return None
    asked = _left_open(spec, topic, progress, a)
    if asked is None or asked in progress.revisited or asked in earlier:
        return None
    progress.revisited.append(asked)
    progress.probed.append(asked)
    why = "a late answer to an earlier question: taken, and the question just asked again"
    ack = _acknowledgement(spec, newly)
    return _move(
        MoveKind.probe, topic, why, target_id=asked, text=progress.asked, cause="back_late", **ack
    )


def _left_open(
    spec: RoundSpec, topic: Topic, progress: QuestionProgress, a: Assessment
) -> str | None:
    """The key point or part of the design the last question asked about, when this answer
    left it open (neither covered before nor touched now)."""
    asked = progress.probed[-1] if progress.probed else None
    if asked is None:
        return None
    if asked in {p.id for p in topic.key_points}:
        touched = {k.id for k in a.key_points if k.status != "not_addressed"}
        done = progress.covered
    elif asked in {s.id for s in spec.checklist}:
        touched = {s.id for s in a.sections if s.status != "not_addressed"}
        done = progress.sections
    else:
        return None
    return None if asked in done or asked in touched else asked


def _minutes_left(state: InterviewState, elapsed: float) -> int:
    return max(0, round((state.budget_seconds - elapsed) / 60))


def _move(kind: MoveKind, topic: Topic, reason: str, **fields: object) -> Move:
    return Move(kind=kind, topic_id=topic.id, reason=reason, **fields)


def _challenge_text(topic: Topic, point_id: str | None, *, challenge: bool = True) -> str:
    """The point's push-back; else its follow-up, which asks about the point without giving
    the answer ("are you sure about that? Where would your labels come from?"); else a check.
    `challenge=False`: the follow-up first (a point asked again, where nothing wrong was said)."""
    point = next((k for k in topic.key_points if k.id == point_id), None)
    if point is not None and point.challenge and challenge:
        return point.challenge
    follow_up = next((f.prompt for f in topic.follow_ups if f.key_point == point_id), None)
    return follow_up or GENERIC_CHALLENGE


@dataclass(frozen=True)
class Covered:
    """What one message newly covers: key points and checklist sections (which may share an
    id, so they are kept apart)."""

    points: list[ItemStatus]
    sections: list[ItemStatus]

    def __bool__(self) -> bool:
        return bool(self.points or self.sections)


def _record(progress: QuestionProgress, a: Assessment) -> Covered:
    """Note what the message covers, hedges or gets wrong; return what it newly covers."""
    points, sections = [], []
    for item, covered in ((k, progress.covered) for k in a.key_points):
        if item.status == "covered" and item.id not in covered:
            covered.append(item.id)
            points.append(item)
        elif item.status == "partial" and item.id not in progress.partial:
            progress.partial.append(item.id)
        elif item.status == "wrong" and item.id not in progress.wrong:
            progress.wrong.append(item.id)
    for item in a.sections:
        if item.status == "covered" and item.id not in progress.sections:
            progress.sections.append(item.id)
            sections.append(item)
    progress.answered_dives += [i for i in a.dives if i not in progress.answered_dives]
    return Covered(points, sections)


# a dodged point is asked again only when it weighs this much (the core of the answer)
REVISIT_WEIGHT = 2


def _note_dodged(topic: Topic, progress: QuestionProgress, a: Assessment, newly: Covered) -> None:
    """Note the point the last follow-up asked about when this reply, with nothing wrong or
    hedged about it, covered other points instead ("heapq with negated values" to "how do you
    read the median?"): asked, and not answered."""
    asked = progress.probed[-1] if progress.probed else None
    if asked is None or asked in progress.covered or asked in progress.dodged:
        return
    if asked not in {p.id for p in topic.key_points}:
        return
    touched = {k.id for k in a.key_points if k.status in ("covered", "partial", "wrong")}
    if asked in touched or asked in progress.partial or asked in progress.wrong:
        return
    if any(p.id != asked for p in newly.points):
        progress.dodged.append(asked)


def _revisit(topic: Topic, progress: QuestionProgress) -> KeyPoint | None:
    """The weightiest dodged point still open and not asked again yet, if any."""
    open_ = [
        p
        for p in topic.key_points
        if p.id in progress.dodged
        and p.id not in progress.revisited
        and p.id not in progress.covered
        and p.weight >= REVISIT_WEIGHT
    ]
    return max(open_, key=lambda p: p.weight, default=None)


def _set_aside(progress: QuestionProgress, a: Assessment, *, redirected: bool) -> None:
    """A story's opening heard as another question's ("At my last job I led the billing
    migration...") is set aside; when the answer right after the redirect goes on with what was
    asked ("then my lead said the plan had no rollback"), the parts the opening told (the scene,
    the task) stand, and are not asked for again."""
    if a.another_question:
        told = [s.id for s in a.sections if s.status == "covered"]
        progress.set_aside += [s for s in told if s not in progress.set_aside]
        return
    if redirected and a.has(Intent.answer):
        progress.sections += [s for s in progress.set_aside if s not in progress.sections]
    progress.set_aside = []


def _unheard(claim: Claim, progress: QuestionProgress) -> bool:
    """True for a wrong claim not challenged yet: its point never was, or this is another wrong
    version of it ("with batch norm you don't need residuals" after "residuals stop
    overfitting")."""
    if (claim.key_point or claim.quote) not in progress.challenged:
        return True
    return claim.key_point is not None and claim.note not in progress.myths


def _note_corrections(progress: QuestionProgress, a: Assessment) -> None:
    """Note the challenged points this answer, given right after a challenge, puts right: it
    says the point right, or it grants the push-back ("ok fair, ...") and goes on to a right
    account of another part (the claim given up: the point is credited by its own words only,
    the claim no longer held). A point whose claim the candidate already held once after its
    challenge is put right only by an answer that grants it: "regularisation trades bias for
    variance" after "yes, more data reduces bias too" is another lever, the claim still held."""
    restated = {c.key_point for c in a.claims}
    right = {k.id for k in a.key_points if k.status in ("covered", "partial")}
    last = progress.challenged[-1] if progress.challenged else None
    for point in dict.fromkeys(progress.challenged):
        if point in progress.corrected or point in restated:
            continue
        if point in progress.insisted and not a.concedes:
            continue
        if point in right or (point == last and a.concedes and right):
            progress.corrected.append(point)


def _reopen(progress: QuestionProgress, a: Assessment) -> None:
    """A point put right and then stated wrongly again is no longer put right."""
    again = {c.key_point for c in a.claims}
    progress.corrected = [p for p in progress.corrected if p not in again]


def _said(topic: Topic, progress: QuestionProgress) -> list[str]:
    """What the interviewer already said that a hint must not repeat: the hints given, and the
    challenges of the points challenged (the point's own, and its wrong versions'). A point
    challenged only with a wrong version's own push-back never heard its follow-up, which
    stands in for a missing challenge of the point: that follow-up is still a hint to give."""
    challenges: list[str] = []
    for point in topic.key_points:
        if point.id not in progress.challenged:
            continue
        mythical = [w.challenge for w in point.wrong if w.challenge]
        heard = any(w.challenge and w.note in progress.myths for w in point.wrong)
        own = [_challenge_text(topic, point.id)] if point.challenge or not heard else []
        challenges += [*mythical, *own]
    return [*progress.hints_given, *challenges]


def _attempted(progress: QuestionProgress) -> list[str]:
    """The points the candidate gave a version of (hedged, wrong or challenged): a hint may push
    back on those; on any other, a push-back presumes an answer not given yet."""
    return [*progress.partial, *progress.wrong, *progress.challenged]


def _out_of_reach(topic: Topic, state: InterviewState) -> list[str]:
    """The ladder's steps too far up for this request: a hint may skip one step the candidate
    has covered, never jump to the last (nearly the answer) on a first request; asked again
    right after a hint, every step is in reach."""
    if state.last_move == MoveKind.hint:
        return []
    return list(topic.hints[state.current.hints_used + 2 :])


def _followed_up(progress: QuestionProgress) -> list[str]:
    """The points whose follow-up was asked (one only challenged can still have it as a hint)."""
    return progress.followed_up()


def _acknowledgement(
    spec: RoundSpec, newly: Covered, asked: str | None = None
) -> dict[str, object]:
    """The move's acknowledgement, naming what was just covered: in a checklist round the
    section, otherwise the candidate's own words for the key point. What the last question
    asked about comes first (the answer to it, not what it mentioned on the way: "always take
    lock A before lock B" answers how to prevent it, its example is by the way); a point named
    by several of its items is acknowledged as a list ("from 'mutual exclusion' to 'circular
    wait'"), not by one of them."""
    names = {s.id: s.name for s in spec.checklist}
    sections = sorted(
        (i for i in newly.sections if i.id in names),
        # a section the message's own words covered before one credited from a key point (one
        # "a/b test" point covers no offline metrics)
        key=lambda i: (i.id != asked, i.said is None),
    )
    section = None
    if sections and (sections[0].said or sections[0].id == asked or len(sections) == 1):
        section = names[sections[0].id]
    points = sorted(newly.points, key=lambda i: i.id != asked)
    # a fragment of code ("dy.T @ self.x") is not quoted back as a strength: read from code,
    # it may be the very line with the bug
    point = next((i for i in points if i.said and _quotable(i.said)), None)
    if point is None and any(i.said for i in newly.points) and not section:
        return {}
    if section and (spec.checklist_first or point is None):
        return {"acknowledged": True, "ack": section, "ack_section": True}
    if point is None:
        # the question just asked is answered, in words there is no quoting back
        return {"acknowledged": True} if any(i.id == asked for i in newly.points) else {}
    named = [n for n in point.named if _quotable(n)]
    if len(named) >= 2:
        if any(len(n.split()) > LIST_END_WORDS for n in (named[0], named[-1])):
            # no list is named by a clipped sentence; two ways of saying it are no list
            one = {"ack": _clip(point.said or "")} if len(named) == 2 else {}
            return {"acknowledged": True, **one}
        return {
            "acknowledged": True,
            "ack": named[0],
            "ack_last": named[-1],
            "ack_between": len(named) > 2,
        }
    return {"acknowledged": True, "ack": _clip(point.said or "")}


# the most words either end of a list may have to name it: "from 'supervised fine-tuning' to
# 'PPO'", not from the first of two sentences
LIST_END_WORDS = 5


# code-shaped words: an operator, brackets, a call (not a big-O), a transpose, an arrow
_CODE = re.compile(r"[@=\[\]{}`]|\b(?![oO]\()\w+\(|\.T\b|->|::")


# arithmetic between terms: "m + log" is a piece of a formula, not a name to quote back
_ARITHMETIC = re.compile(r"\s[-+*/^]\s|\w[+*^]\w")


# a pronoun and a word ("I started", "we stopped") say nothing quoted back on their own
_BARE_CLAUSE = re.compile(r"^\W*(i|we|my|our|it|they|he|she)\b\W+\w+\W*$", re.IGNORECASE)


# ... nor words cut off before their noun ("still do the one-pager thing on every")
_DANGLING = re.compile(
    r"\b(every|each|the|a|an|of|on|to|for|with|and|or|in|at|my|our|your|their|this|that)\W*$",
    re.IGNORECASE,
)


def _quotable(said: str) -> bool:
    """True for words that may be quoted back: no code, no piece of a formula (nor a bracket
    left open: "1/(1-p"), no bare pronoun and verb, nothing cut off before its noun."""
    return not (
        said.count("(") != said.count(")")
        or _CODE.search(said)
        or _ARITHMETIC.search(said)
        or _BARE_CLAUSE.match(said)
        or _DANGLING.search(said)
    )


def _clip(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")
