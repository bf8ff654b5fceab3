"""Evaluation figures: mean score per level, ranking accuracy, injection and stuffing effects."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from statistics import mean

from app.content.loader import Content
from app.evaluation.samples import LabelledAnswers
from app.evaluation.simulate import GIBBERISH, INJECTION, OFF_TOPIC, interview, score
from app.llm.client import LLMClient
from app.scoring.llm_grader import TranscriptLine, grade_with_llm

LEVELS = ("strong", "medium", "weak", "stuffing", "off_topic", "gibberish")
Scorer = Callable[[Content, str, Sequence[str]], Awaitable[float]]


async def offline_score(content: Content, question_id: str, turns: Sequence[str]) -> float:
    """The offline scorer's overall score for a simulated interview."""
    return score(content, interview(content, question_id, turns)).overall


def llm_scorer(client: LLMClient) -> Scorer:
    """A scorer that grades each simulated interview with the LLM grader."""

    async def grade(content: Content, question_id: str, turns: Sequence[str]) -> float:
        transcript = interview(content, question_id, turns)
        spec = transcript.director.spec
        lines = [
            TranscriptLine(seq=n, role=u.role, content=u.content)
            for n, u in enumerate(transcript.lines, start=1)
        ]
        result = await grade_with_llm(
            client=client,
            prompts=content.prompts,
            rubric=content.rubrics[spec.id],
            spec=spec,
            groups=transcript.answers(content.rubrics[spec.id]),
            transcript=lines,
            fallback=score(content, transcript),
        )
        return result.overall

    return grade


@dataclass
class QuestionResult:
    """Every level's overall score on one question, and the injected medium answer's."""

    question: str
    round: str
    scores: dict[str, float]
    injected: float

    @property
    def pairs(self) -> list[bool]:
        """strong > medium, medium > weak, strong > weak."""
        s = self.scores
        return [s["strong"] > s["medium"], s["medium"] > s["weak"], s["strong"] > s["weak"]]


@dataclass
class Report:
    """All results, with the summary figures the targets are stated in."""

    results: list[QuestionResult] = field(default_factory=list)

    @property
    def pair_accuracy(self) -> float:
        """Fraction of (strong, medium, weak) pairs ranked correctly."""
        pairs = [p for r in self.results for p in r.pairs]
        return sum(pairs) / len(pairs) if pairs else 0.0

    @property
    def max_injection_gain(self) -> float:
        """The largest rise in score an injection caused (should be <= 0)."""
        return max(r.injected - r.scores["medium"] for r in self.results)

    @property
    def stuffing_below_medium(self) -> float:
        """Fraction of questions where keyword stuffing scores below the medium answer."""
        below = [r.scores["stuffing"] < r.scores["medium"] for r in self.results]
        return sum(below) / len(below)

    def by_round(self) -> dict[str, list[QuestionResult]]:
        """Results grouped by round."""
        grouped: dict[str, list[QuestionResult]] = defaultdict(list)
        for result in self.results:
            grouped[result.round].append(result)
        return dict(sorted(grouped.items()))

    def table(self) -> str:
        """The printed table: one row per round, then the totals."""
        head = (
            f"{'round':18} {'n':>3} "
            + " ".join(f"{lvl[:9]:>9}" for lvl in LEVELS)
            + f" {'pairs ok':>9} {'inject Δ':>9} {'stuff<med':>9}"
        )
        lines = [head, "-" * len(head)]
        for round_id, results in self.by_round().items():
            part = Report(results)
            means = " ".join(f"{mean(r.scores[lvl] for r in results):9.2f}" for lvl in LEVELS)
            lines.append(
                f"{round_id:18} {len(results):3d} {means} {part.pair_accuracy:9.0%} "
                f"{part.max_injection_gain:+9.2f} {part.stuffing_below_medium:9.0%}"
            )
        lines.append("-" * len(head))
        means = " ".join(f"{mean(r.scores[lvl] for r in self.results):9.2f}" for lvl in LEVELS)
        lines.append(
            f"{'all':18} {len(self.results):3d} {means} {self.pair_accuracy:9.0%} "
            f"{self.max_injection_gain:+9.2f} {self.stuffing_below_medium:9.0%}"
        )
        return "\n".join(lines)


async def evaluate(
    content: Content, samples: Sequence[LabelledAnswers], scorer: Scorer = offline_score
) -> Report:
    """Run every labelled answer (and the adversarial ones) through a full interview."""
    report = Report()
    for sample in samples:
        turns = {
            "strong": sample.strong,
            "medium": sample.medium,
            "weak": sample.weak,
            "stuffing": [sample.stuffing],
            "off_topic": [OFF_TOPIC],
            "gibberish": [GIBBERISH],
        }
        scores = {level: await scorer(content, sample.question, turns[level]) for level in LEVELS}
        injected_turns = [sample.medium[0] + INJECTION, *sample.medium[1:]]
        injected = await scorer(content, sample.question, injected_turns)
        report.results.append(
            QuestionResult(
                question=sample.question,
                round=content.questions[sample.question].round.value,
                scores=scores,
                injected=injected,
            )
        )
    return report
