"""Transcript export as Markdown or JSON, with the scorecard when there is one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from app.scoring.feedback import Feedback
from app.scoring.models import RECOMMENDATION_LABELS
from app.services.scoring import StoredScorecard
from app.store.models import Interview, Message

# the statuses of an interview whose model answers the candidate may read
OVER = ("finished", "scored")


def missed_by_question(
    points: Sequence[Mapping[str, Any]], titles: Mapping[str, str]
) -> list[tuple[str, list[str]]]:
    """Missed key points as (question title, texts), questions in the order they were asked."""
    grouped: dict[str, tuple[str, list[str]]] = {}
    for point in points:
        question = point["question_id"]
        title = point.get("question_title") or titles.get(question) or question
        grouped.setdefault(question, (title, []))[1].append(point["text"])
    return list(grouped.values())


def _advice_lines(advice: Feedback) -> list[str]:
    """What went well and what to practise next, as Markdown."""
    lines = ["### What went well", ""]
    for strength in advice.strengths:
        quote = strength.quote
        said = f" You said: “{quote.text}” (message {quote.message_seq})" if quote else ""
        lines.append(f"- **{strength.name}** ({strength.score} / 4): {strength.level}{said}")
    if not advice.strengths:
        lines.append("- No criterion reached the hire level (3 of 4) in this interview.")
    lines += ["", "### Practise next", ""]
    for number, focus in enumerate(advice.practise, 1):
        lines.append(
            f"{number}. **{focus.name}** ({focus.score} / 4, aim for {focus.score + 1}): "
            f"{focus.next_level}"
        )
        lines += [f"   - missed: {text}" for text in focus.missed]
        lines.append(f"   - drill: {focus.drill}")
    lines.append("")
    return lines


def as_markdown(
    interview: Interview,
    messages: Sequence[Message],
    scorecard: StoredScorecard | None,
    questions: Sequence[Any],
    advice: Feedback | None = None,
) -> str:
    """A readable Markdown document of the interview; model answers once it is over."""
    lines = [
        f"# {interview.round.replace('_', ' ').title()} interview",
        "",
        f"- Started: {interview.created_at.isoformat(timespec='seconds')}",
        f"- Status: {interview.status}",
        f"- Role: {interview.level} {interview.role}",
        "",
        "## Transcript",
        "",
    ]
    for message in messages:
        speaker = "Interviewer" if message.role == "interviewer" else "Candidate"
        seconds = (message.speech or {}).get("duration_seconds")
        if isinstance(seconds, int | float):
            speaker += f" (spoken, {seconds:.0f} s)"
        lines += [f"### {message.seq}. {speaker}", "", message.content, ""]
    if scorecard is not None:
        card = scorecard.scorecard
        label = RECOMMENDATION_LABELS.get(card.recommendation, card.recommendation)
        lines += [
            "## Scorecard",
            "",
            f"**{label}**, overall {card.overall:.2f} / 4",
            "",
            advice.headline if advice else card.summary,
            "",
        ]
        if advice is not None:
            lines += _advice_lines(advice)
        for criterion in scorecard.criteria:
            score = (
                "not assessed"
                if criterion.score is None
                else f"{criterion.score} / {criterion.max_score}"
            )
            lines += [f"### {criterion.name}: {score}", "", criterion.rationale, ""]
            lines += [f"> {e['quote']} (message {e['message_seq']})" for e in criterion.evidence]
            lines.append("")
        titles = {q.id: q.title for q in questions}
        for title, texts in missed_by_question(card.missed_points, titles):
            lines += [f"## Missed key points: {title}", ""]
            lines += [f"- {text}" for text in texts]
            lines.append("")
    if interview.status not in OVER:
        return "\n".join(lines)  # the answers would be the candidate's to paste back
    for question in questions:
        if question.model_answer:
            lines += [f"## Model answer outline: {question.title}", ""]
            lines += [f"- {point}" for point in question.model_answer]
            lines.append("")
    return "\n".join(lines)
