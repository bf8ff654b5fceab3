"""The hiring committee's calibration, on hand-made scorecards (pure: no database)."""

from __future__ import annotations

import io
import uuid

from pypdf import PdfReader

from app.content.loader import Content
from app.http.packet_export import FONT_DIR, as_markdown, as_pdf
from app.scoring.committee import CriterionGrade, RoundResult, hiring_packet
from app.scoring.models import recommend


def _results(content: Content, scores: list[int], *, quote: str = "I wrote the tests") -> list:
    """The software engineer loop with every criterion of round i scored scores[i]."""
    loop = content.loops["software-engineer"]
    results = []
    for position, (item, score) in enumerate(zip(loop.rounds, scores, strict=True)):
        rubric = content.rubrics[item.round]
        results.append(
            RoundResult(
                position=position,
                title=item.title,
                round=item.round,
                interview_id=uuid.uuid4(),
                overall=float(score),
                recommendation=recommend(score),
                summary=f"Overall {score}/4.",
                criteria=[
                    CriterionGrade(
                        criterion_id=c.id,
                        name=c.name,
                        score=score,
                        rationale=f"{c.name} at {score}",
                        quotes=[f"{quote} in {item.title}"],
                    )
                    for c in rubric.criteria
                ],
            )
        )
    return results


def test_consistent_strong_rounds_hire_at_a_level(content: Content) -> None:
    loop = content.loops["software-engineer"]
    packet = hiring_packet(
        loop=loop, results=_results(content, [4, 4, 4, 4, 4]), target_level="senior"
    )
    assert packet.decision.recommendation == "strong_hire"
    assert packet.decision.level_id == "staff" and packet.decision.meets_target
    assert packet.disagreements == []
    coding = next(s for s in packet.signals if s.id == "coding")
    assert coding.score == 4 and [r.round_title for r in coding.rounds] == ["Coding 1", "Coding 2"]
    assert coding.evidence[0].quote == "I wrote the tests in Coding 1"


def test_the_committee_bar_is_above_one_interviewer_s(content: Content) -> None:
    # every round a 'hire' (3) from its interviewer: a hire, but at the bottom level
    loop = content.loops["software-engineer"]
    three = hiring_packet(
        loop=loop, results=_results(content, [3, 3, 3, 3, 3]), target_level="senior"
    )
    assert three.decision.recommendation == "hire"
    assert three.decision.level_id == "junior"
    assert not three.decision.meets_target
    assert any("down-level" in reason for reason in three.decision.reasons)


def test_a_weak_core_signal_blocks_a_hire_and_the_split_is_named(content: Content) -> None:
    # both coding rounds weak, the rest strong: the overall clears the bar, coding does not
    loop = content.loops["software-engineer"]
    packet = hiring_packet(
        loop=loop, results=_results(content, [1, 1, 4, 4, 4]), target_level="mid-level"
    )
    assert packet.decision.overall is not None and packet.decision.overall > 2.0
    assert packet.decision.recommendation == "no_hire"
    assert packet.decision.level_id is None
    assert any("Coding is a core signal" in reason for reason in packet.decision.reasons)
    texts = [d.text for d in packet.disagreements]
    assert any(t.startswith("Communication: ") and "Coding 1 scored 1.0" in t for t in texts)
    assert any(t.startswith("The rounds split") for t in texts)
    coding = next(s for s in packet.signals if s.id == "coding")
    assert coding.concern and coding.evidence[0].score == 1


def test_a_strong_no_hire_round_vetoes(content: Content) -> None:
    loop = content.loops["software-engineer"]
    packet = hiring_packet(
        loop=loop, results=_results(content, [4, 4, 4, 4, 1]), target_level="junior"
    )
    assert packet.decision.recommendation == "no_hire"
    assert "Behavioral is a strong no hire." in packet.decision.reasons


def test_unassessed_criteria_leave_a_signal_without_evidence(content: Content) -> None:
    loop = content.loops["software-engineer"]
    results = _results(content, [3, 3, 3, 3, 3])
    for grade in results[3].criteria:  # CS fundamentals never reached
        grade.score = None
    packet = hiring_packet(loop=loop, results=results, target_level="junior")
    fundamentals = next(s for s in packet.signals if s.id == "fundamentals")
    assert fundamentals.score is None and fundamentals.verdict is None
    assert fundamentals.evidence == []
    assert packet.decision.recommendation == "hire"  # a weight-1 signal is not core


def test_the_pdf_prints_quotes_as_written(content: Content) -> None:
    assert (FONT_DIR / "DejaVuSans.ttf").is_file(), "apt-get install fonts-dejavu-core"
    loop = content.loops["software-engineer"]
    results = _results(content, [3, 3, 3, 3, 3], quote="naïve → O(n²) — “fast”")
    packet = hiring_packet(loop=loop, results=results, target_level="junior")
    pdf = PdfReader(io.BytesIO(as_pdf(packet, level_name="L3")))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "naïve → O(n²) — “fast” in Coding 1" in " ".join(text.split())
    markdown = as_markdown(packet, level_name="L3")
    assert "> naïve → O(n²) — “fast” in Coding 1" in markdown
