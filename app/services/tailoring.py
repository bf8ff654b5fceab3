"""Tailoring to a job and a CV: the job's skills weight the question choice, and behavioral and
research rounds ask about the CV's own projects. Pasted text is data: only bank tags and short,
cleaned project names come out of it (and, with an LLM, the question it writes about one
project: `services/cv_questions.py`)."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from pydantic import BaseModel
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from app.content.models import Question
from app.engine.matching import phrase_tokens, tokens
from app.services.errors import Invalid

MAX_PROJECTS = 5
PROJECT_CHARS = 80
MAX_PDF_PAGES = 20
# CV sections whose entries name projects, and those whose bullets may
_PROJECT_SECTION = re.compile(
    r"^\W*(selected\s+|research\s+|personal\s+|side\s+)?(projects?|research|publications?|"
    r"open[- ]source|theses|thesis)\W*$",
    re.IGNORECASE,
)
_WORK_SECTION = re.compile(
    r"^\W*(work\s+|professional\s+|research\s+)?(experience|employment)\W*$", re.IGNORECASE
)
_BULLET = re.compile(r"^\s*(?:[-*•▪◦·]|\d+[.)])\s+")
_CLAUSE_END = re.compile(r"\s*(?::|\s[-\u2013\u2014]\s|\(|;|\.\s|,\s(?=[a-z]))")
_ACTION = re.compile(
    r"^(built|designed|developed|led|created|implemented|shipped|launched|trained|wrote|"
    r"introduced|proposed|co-?authored|authored|scaled|migrated|owned|architected)\s+",
    re.IGNORECASE,
)
# a long name is cut before what it was built with
_DETAIL = re.compile(r"\s(?:with|using|via|by|on top of|in order to)\s", re.IGNORECASE)
# characters a project name loses: markup, and anything that could open or close a delimiter
_UNSAFE = re.compile(r"[<>{}\[\]`*_#|\\\"]")


class Tailoring(BaseModel):
    """What a job description and a CV changed about an interview."""

    skills: list[str] = []
    projects: list[str] = []
    # the question id -> the CV project it is asked about
    asked_about: dict[str, str] = {}
    # with an LLM: the question it wrote about one of the CV's projects (id CV_QUESTION_ID),
    # asked like a bank question; its key points are never shown during the interview
    question: Question | None = None


def _sequence_in(needle: Sequence[str], haystack: Sequence[str]) -> bool:
    size = len(needle)
    return size > 0 and any(
        list(haystack[i : i + size]) == list(needle) for i in range(len(haystack) - size + 1)
    )


def job_skills(*, questions: Sequence[Question], job_description: str | None) -> list[str]:
    """The bank's question tags the job description names (in words: 'learning to rank')."""
    if not job_description:
        return []
    words = tokens(job_description)
    tags = sorted({tag for question in questions for tag in question.tags})
    return [tag for tag in tags if _sequence_in(phrase_tokens(tag.replace("-", " ")), words)]


def matches(question: Question, skills: Sequence[str]) -> int:
    """How many of the job's skills a question is tagged with."""
    return len(set(question.tags) & set(skills))


def clean_name(name: str) -> str | None:
    """A project name without markup or delimiters, 2-14 words and at most 80 characters."""
    name = _UNSAFE.sub(" ", name)
    name = " ".join(name.split()).strip(" .,;:-\u2013\u2014")
    if len(name) > PROJECT_CHARS:
        name = name[:PROJECT_CHARS].rsplit(" ", 1)[0]
    words = name.split()
    if not 2 <= len(words) <= 14 or not any(c.isalpha() for c in name):
        return None
    return name


def _project_name(line: str) -> str | None:
    text = _BULLET.sub("", line).strip()
    # "Built a fraud detection pipeline" names "a fraud detection pipeline"
    text = _ACTION.sub("", text, count=1)
    head = _CLAUSE_END.split(text, maxsplit=1)[0]
    short = _DETAIL.split(head, maxsplit=1)[0]
    return clean_name(short if len(short.split()) >= 3 else head)


def _entries(cv: str) -> list[tuple[int, str]]:
    """(priority, line) of every line that may name a project: 0 an entry of a projects or
    research section, 1 a bullet saying what the candidate built elsewhere."""
    entries = []
    section = ""
    for raw in cv.splitlines():
        line = raw.strip()
        if not line:
            continue
        if _PROJECT_SECTION.match(line):
            section = "projects"
            continue
        if _WORK_SECTION.match(line):
            section = "work"
            continue
        is_bullet = bool(_BULLET.match(line))
        if not is_bullet and line.isupper() and len(line) < 40:
            section = ""  # another heading, e.g. EDUCATION or SKILLS
            continue
        if section == "projects" and (is_bullet or len(line) < 90):
            entries.append((0, line))
        elif _ACTION.match(_BULLET.sub("", line)):
            entries.append((1, line))
    return entries


def cv_projects(cv: str | None) -> list[str]:
    """The projects a CV names, its projects and research sections first, then what its bullets
    say the candidate built; at most five."""
    found: list[str] = []
    for _, line in sorted(_entries(cv or ""), key=lambda entry: entry[0]):
        name = _project_name(line)
        if name and name.lower() not in {f.lower() for f in found}:
            found.append(name)
        if len(found) >= MAX_PROJECTS:
            break
    return found


def cv_text_from_pdf(data: bytes, *, limit: int) -> str:
    """The text of a CV sent as a PDF (pypdf); a clear error for anything else."""
    if not data.startswith(b"%PDF"):
        raise Invalid("the CV file is not a PDF; upload a PDF or paste the CV's text")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise Invalid("the CV PDF is password-protected; upload one without a password")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise Invalid(f"the CV PDF has {len(reader.pages)} pages; the limit is {MAX_PDF_PAGES}")
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise Invalid(f"the CV PDF could not be read ({error}); paste its text instead") from error
    text = text.replace("\x00", "").strip()
    if not text:
        raise Invalid("the CV PDF has no text (a scanned image?); paste its text instead")
    if len(text) > limit:
        raise Invalid(f"the CV has {len(text)} characters; the limit is {limit}")
    return text
