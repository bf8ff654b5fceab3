"""Each interview's director, from the content and the interview's questions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace

from app.content.loader import Content
from app.content.models import RoundType
from app.engine.director import Director
from app.engine.topics import CV_QUESTION_ID, Topic, bank_topic, custom_topic
from app.services.tailoring import Tailoring
from app.store.models import Interview

CUSTOM_TOPICS_KEPT = 500


@dataclass
class Directors:
    """Builds directors; a question's topic is built once per process (content is immutable)."""

    content: Content
    _bank: dict[str, Topic] = field(default_factory=dict)
    _custom: dict[tuple[str, str], Topic] = field(default_factory=dict)
    _cv: dict[tuple[str, str], Topic] = field(default_factory=dict)
    _written: dict[uuid.UUID, Topic] = field(default_factory=dict)

    def topics(self, interview: Interview) -> list[Topic]:
        """The interview's questions as the director sees them."""
        spec = self.content.rounds[RoundType(interview.round)]
        if interview.custom_question is not None:
            key = (interview.round, interview.custom_question)
            topic = self._custom.get(key)
            if topic is None:
                if len(self._custom) >= CUSTOM_TOPICS_KEPT:  # candidates' own text: bounded
                    self._custom.clear()
                topic = self._custom[key] = custom_topic(interview.custom_question, spec)
            return [topic]
        about = (interview.tailoring or {}).get("asked_about", {})
        return [
            self._written_topic(interview, about.get(q))
            if q == CV_QUESTION_ID
            else self._bank_topic(q, about.get(q))
            for q in interview.question_ids
        ]

    def _written_topic(self, interview: Interview, project: str | None) -> Topic:
        """The question an LLM wrote about the candidate's project, stored with the interview,
        as a bank question is built (it never changes once the interview starts)."""
        topic = self._written.get(interview.id)
        if topic is None:
            question = Tailoring.model_validate(interview.tailoring).question
            if question is None:
                raise ValueError(f"interview {interview.id} asks {CV_QUESTION_ID!r} but has none")
            if len(self._written) >= CUSTOM_TOPICS_KEPT:  # candidates' own text: bounded
                self._written.clear()
            built = bank_topic(question, self.content.rounds[question.round])
            topic = self._written[interview.id] = replace(built, project=project)
        return topic

    def _bank_topic(self, question_id: str, project: str | None = None) -> Topic:
        if project is not None:  # asked about a project of the candidate's CV
            return self._cv_topic(question_id, project)
        topic = self._bank.get(question_id)
        if topic is None:
            question = self.content.questions[question_id]
            topic = self._bank[question_id] = bank_topic(
                question,
                self.content.rounds[question.round],
                others=self.content.questions_for(question.round),
            )
        return topic

    def _cv_topic(self, question_id: str, project: str) -> Topic:
        topic = self._cv.get((question_id, project))
        if topic is None:
            if len(self._cv) >= CUSTOM_TOPICS_KEPT:  # candidates' own text: bounded
                self._cv.clear()
            question = self.content.questions[question_id]
            topic = self._cv[(question_id, project)] = bank_topic(
                question,
                self.content.rounds[question.round],
                project,
                others=self.content.questions_for(question.round),
            )
        return topic

    def director(self, interview: Interview) -> Director:
        """The director for this interview's round and questions."""
        spec = self.content.rounds[RoundType(interview.round)]
        return Director(spec=spec, topics=self.topics(interview))
