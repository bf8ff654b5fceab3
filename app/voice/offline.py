"""The offline voice: renders moves from the phrasings in prompts/offline, no LLM needed."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from typing import Any

from app.content.prompts import PromptLibrary
from app.engine.moves import Move, MoveKind
from app.voice.scene import Scene, Spoken, Token, VoiceEvent

_PIECE = re.compile(r"\S+\s*|\s+")
# the redirect's phrasing by its cause; any other cause drifted off the question
_REDIRECTS = {"instruct": "redirect_instruct", "another_question": "redirect_another"}


class OfflineVoice:
    """Composes each reply from template variants, never repeating its last message."""

    def __init__(self, prompts: PromptLibrary, *, word_delay_ms: int = 0):
        self._prompts = prompts
        self._delay = word_delay_ms / 1000

    async def speak(self, scene: Scene) -> AsyncIterator[VoiceEvent]:
        """Stream the composed reply word by word, like a model would."""
        text = self.compose(scene)
        for piece in _PIECE.findall(text):
            if self._delay:
                await asyncio.sleep(self._delay)
            yield Token(piece)
        yield Spoken(text=text)

    def compose(self, scene: Scene) -> str:
        """The interviewer's message for this scene."""
        previous = next(
            (u.content for u in reversed(scene.history) if u.role == "interviewer"), None
        )
        for shift in range(4):
            text = "\n\n".join(p for p in self._parts(scene, scene.turn + shift) if p)
            if text != previous:
                return text
        return text

    def _parts(self, scene: Scene, variant: int) -> list[str]:
        move = scene.move
        say = self._sayer(scene, variant)
        ack = _acknowledgement(move, say)
        parts: list[str]
        match move.kind:
            case MoveKind.open:
                parts = [say("greeting") + " " + say("format"), say("ask_first")]
            case MoveKind.probe if move.cause == "hypothetical":
                parts = [say("ask_for_real_example")]
            case MoveKind.probe if move.cause == "revisit":
                parts = [_join(ack, say("revisit"))]
            case MoveKind.probe if move.cause == "back":
                parts = [say("back_to_the_question")]
            case MoveKind.probe if move.cause == "back_late":
                parts = [_join(ack, say("back_after_a_late_answer"))]
            case MoveKind.probe if move.cause == "code_first":
                parts = [_join(ack, say("code_first"))]
            case MoveKind.follow_up if move.cause == "rollcall":
                parts = [_join(say("rollcall"), move.text or "")]
            case MoveKind.deepen if move.cause == "open_points":
                parts = [_join(ack, say("deepen_open_points"))]
            case MoveKind.follow_up | MoveKind.probe | MoveKind.deepen:
                parts = [_join(ack, say(move.kind.value))]
            case MoveKind.challenge if move.cause == "insisted":
                parts = [say("challenge_insisted")]
            case MoveKind.challenge if move.cause == "before_hint":
                parts = [say("challenge_before_hint")]
            case MoveKind.challenge:
                parts = [say("challenge")]
            case MoveKind.redirect:
                parts = [say(_REDIRECTS.get(move.cause or "", "redirect"))]
            case MoveKind.answer_question:
                parts = [say(f"answer_{move.cause or 'for_interviewer'}")]
            case MoveKind.hint if move.cause in ("all_covered", "all_asked", "held_back"):
                parts = [say(f"hint_{move.cause}")]
            case MoveKind.hint if move.cause == "elsewhere" and move.text:
                parts = [say("hint_elsewhere")]
            case MoveKind.hint if move.cause == "section" and move.text:
                parts = [say("hint_section")]
            case MoveKind.hint:
                parts = [say("hint") if move.text else say("custom_hint")]
            case MoveKind.no_more_hints:
                parts = [say("no_more_hints")]
            case MoveKind.clarify:
                key = {
                    "open": "clarify_open",
                    "simpler": "clarify_simpler",
                    "choice": "clarify_choice",
                    "check_in": "clarify_check_in",
                    "check_in_open": "clarify_check_in_open",
                }.get(move.cause or "")
                parts = [say(key or "clarify")]
            case MoveKind.encourage:
                offered = move.cause in {"dont_know", "no_story", "too_short"}
                offer = offered and (move.hint_level or 0) < 3
                parts = [_join(say(f"encourage_{move.cause}"), say("offer_hint") if offer else "")]
            case MoveKind.next_question:
                lead = {
                    "skipped": "move_on_skipped",
                    "stuck": "move_on_stuck",
                    "stale": "move_on_stuck",
                }.get(move.cause or "")
                parts = [say(lead) if lead else ack, say("next_question")]
            case MoveKind.wrap_up:
                # "we've covered what I wanted" only when it was covered, not after answers
                # that went nowhere or a question the candidate gave up
                key = {
                    "time": "wrap_up_time",
                    "stuck": "wrap_up_stuck",
                    "stale": "wrap_up_stuck",
                    "skipped": "wrap_up_skipped",
                }.get(move.cause or "", "wrap_up")
                parts = [ack, say(key)]
            case MoveKind.code_result:
                parts = [say(_code_phrase(move))]
            case MoveKind.close:
                parts = [say("already_closed" if move.cause == "already_closed" else "close")]
        if move.code is not None and move.code.status == "passed":
            parts.insert(0, say("code_passed"))
        if move.minutes_left is not None and move.cause != "logistics":  # that one says it
            parts.append(say("time_note"))
        return parts

    def _sayer(self, scene: Scene, variant: int):
        variables: dict[str, Any] = {
            "round": scene.spec,
            "role": scene.role,
            "level": scene.level,
            "question": scene.topic,
            "number": scene.number,
            "total": scene.total,
            "text": scene.move.text or "",
            "ack": scene.move.ack or "",
            "ack_last": scene.move.ack_last or "",
            "ack_between": scene.move.ack_between,
            "said": scene.move.said or "",
            "section_name": scene.section_name,
            "minutes_left": scene.move.minutes_left,
            "hint_level": scene.move.hint_level,
            "code": scene.move.code,
        }

        def say(key: str) -> str:
            return self._prompts.phrase(key, variant, **variables)

        return say


def _code_phrase(move: Move) -> str:
    """The phrasing key for a submission that did not pass."""
    code = move.code
    assert code is not None
    if code.status == "failed":
        return "code_failed_visible" if code.failing_input else "code_failed_hidden"
    return f"code_{code.status}"


def _acknowledgement(move: Move, say: Callable[[str], str]) -> str:
    """An acknowledgement that names what was just covered, when the move carries one."""
    if not move.acknowledged:
        return ""
    if move.ack and move.ack_section:
        return say("acknowledge_section")
    if move.ack and move.ack_last:
        return say("acknowledge_list")
    return say("acknowledge_point") if move.ack else say("acknowledge")


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)
