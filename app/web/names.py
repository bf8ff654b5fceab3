"""What pages call things: round and question titles, statuses and times a person reads."""

from __future__ import annotations

from datetime import UTC, datetime

from markupsafe import Markup, escape

from app.content.loader import Content
from app.engine.topics import CV_QUESTION_ID
from app.store.models import Interview, InterviewStatus

STATUS_LABELS = {
    InterviewStatus.active: "In progress",
    InterviewStatus.finished: "Finished, not scored",
    InterviewStatus.scored: "Scored",
}
_CUSTOM_TITLE_CHARS = 60


class Names:
    """Titles from the loaded content: "ML system design", never "Ml System Design"."""

    def __init__(self, content: Content):
        self._rounds = {spec.id.value: spec.title for spec in content.rounds.values()}
        self._questions = {q.id: q.title for q in content.questions.values()}

    def round_title(self, round_id: str) -> str:
        """The round's title as its content file writes it."""
        return self._rounds.get(str(round_id), str(round_id).replace("_", " ").capitalize())

    def question_titles(self, interview: Interview) -> list[str]:
        """The interview's questions by title; the candidate's own question, shortened."""
        if interview.custom_question is not None:
            text = " ".join(interview.custom_question.split())
            short = text[:_CUSTOM_TITLE_CHARS].rstrip()
            return [f"Your question: {short}{'…' if len(text) > len(short) else ''}"]
        # the question an LLM wrote about the CV is stored with the interview (only its title
        # is read here)
        written = ((interview.tailoring or {}).get("question") or {}).get("title")
        return [
            written if q == CV_QUESTION_ID and written else self._questions.get(q, q)
            for q in interview.question_ids
        ]


def status_label(status: str) -> str:
    """An interview status in words."""
    return STATUS_LABELS.get(InterviewStatus(status), str(status))


def local_time(moment: datetime) -> Markup:
    """A <time> in UTC that app.js rewrites in the reader's own time zone and locale."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    text = moment.strftime("%Y-%m-%d %H:%M UTC")
    return Markup('<time datetime="{}" data-local>{}</time>').format(
        escape(moment.isoformat()), text
    )
