"""A hiring packet as Markdown or PDF: one list of blocks, two renderers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from app.scoring.committee import HiringPacket
from app.scoring.models import RECOMMENDATION_LABELS

if TYPE_CHECKING:
    from fpdf import FPDF

Kind = Literal["h1", "h2", "h3", "p", "bullet", "quote"]
Block = tuple[Kind, str]
# Debian's fonts-dejavu-core: a Unicode font, so candidates' quotes print as written
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def _label(recommendation: str | None) -> str:
    if recommendation is None:
        return "Not assessed"
    return RECOMMENDATION_LABELS.get(recommendation, recommendation)


def decision_line(packet: HiringPacket) -> str:
    """The decision in one sentence."""
    decision = packet.decision
    overall = f"{decision.overall:.2f} / 4" if decision.overall is not None else "not assessed"
    level = f" at {decision.level_name}" if decision.level_name else ""
    return f"{_label(decision.recommendation)}{level} (overall {overall})"


def blocks(packet: HiringPacket, *, level_name: str) -> list[Block]:
    """The packet as headed blocks of text, in reading order."""
    out: list[Block] = [
        ("h1", f"Hiring packet: {packet.loop_title}"),
        ("p", f"Role: {packet.role}. Target level: {level_name}."),
        ("h2", f"Decision: {decision_line(packet)}"),
    ]
    out += [("bullet", reason) for reason in packet.decision.reasons]
    out.append(("h2", "Signals"))
    for signal in packet.signals:
        score = f"{signal.score:.2f} / 4" if signal.score is not None else "not assessed"
        concern = " (concern)" if signal.concern else ""
        out.append(("h3", f"{signal.name}: {score}, {_label(signal.verdict)}{concern}"))
        out.append(("p", signal.description))
        if signal.rounds:
            out.append(
                (
                    "p",
                    "By round: "
                    + "; ".join(f"{r.round_title} {r.score:.1f}" for r in signal.rounds),
                )
            )
        for item in signal.evidence:
            out.append(
                (
                    "bullet",
                    f"{item.round_title}, {item.criterion} ({item.score}/4): {item.rationale}",
                )
            )
            if item.quote:
                out.append(("quote", item.quote))
    out.append(("h2", "Disagreements between rounds"))
    if packet.disagreements:
        out += [("bullet", d.text) for d in packet.disagreements]
    else:
        out.append(("p", "None: the rounds read the candidate consistently."))
    out.append(("h2", "Scorecards"))
    for result in packet.rounds:
        out.append(
            (
                "h3",
                f"Round {result.position + 1}: {result.title}: "
                f"{_label(result.recommendation)} ({result.overall:.2f} / 4)",
            )
        )
        out.append(("p", result.summary))
        for grade in result.criteria:
            score = f"{grade.score}/4" if grade.score is not None else "not assessed"
            out.append(("bullet", f"{grade.name} ({score}): {grade.rationale}"))
    return out


def as_markdown(packet: HiringPacket, *, level_name: str) -> str:
    """The packet as a Markdown document."""
    prefix = {"h1": "# ", "h2": "## ", "h3": "### ", "p": "", "bullet": "- ", "quote": "  > "}
    lines: list[str] = []
    for kind, text in blocks(packet, level_name=level_name):
        if kind.startswith("h") and lines and lines[-1]:
            lines.append("")
        lines.append(prefix[kind] + " ".join(text.split()))
        if kind in ("h1", "h2", "h3", "p"):
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _fonts(pdf: FPDF) -> tuple[str, bool]:
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.is_file() and bold.is_file():
        pdf.add_font("DejaVu", "", str(regular))
        pdf.add_font("DejaVu", "B", str(bold))
        return "DejaVu", True
    return "Helvetica", False  # the PDF core font: Latin-1 only


def as_pdf(packet: HiringPacket, *, level_name: str) -> bytes:
    """The packet as a PDF (fpdf2, pure Python). fpdf2 is imported here, not with the module:
    it brings NumPy and Pillow, half a second of every process's start, for a rare export."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    class Document(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(self.font_family, size=8)
            self.cell(0, 8, f"onsite hiring packet, page {self.page_no()}", align="C")

    pdf = Document(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    family, unicode = _fonts(pdf)
    pdf.set_title(f"Hiring packet: {packet.loop_title}")
    pdf.set_creator("onsite")
    pdf.add_page()
    sizes = {"h1": 17, "h2": 14, "h3": 11.5, "p": 10, "bullet": 10, "quote": 9.5}
    for kind, text in blocks(packet, level_name=level_name):
        if not unicode:
            text = text.encode("latin-1", "replace").decode("latin-1")
        pdf.set_font(family, "B" if kind.startswith("h") else "", sizes[kind])
        if kind in ("h1", "h2", "h3"):
            pdf.ln(3 if kind == "h3" else 5)
        indent = {"bullet": 4, "quote": 10}.get(kind, 0)
        pdf.set_x(pdf.l_margin + indent)
        shown = f"\u2022 {text}" if kind == "bullet" and unicode else text
        shown = f'"{shown}"' if kind == "quote" else shown
        if kind == "bullet" and not unicode:
            shown = f"- {text}"
        pdf.multi_cell(
            pdf.epw - indent,
            sizes[kind] * 0.5,
            shown,
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    return bytes(pdf.output())
