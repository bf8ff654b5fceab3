"""Load and validate every content file once, at start-up, into immutable objects."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from app.content.errors import ContentError
from app.content.loops import Loop, load_loops
from app.content.models import Question, RoundSpec, RoundType, Rubric
from app.content.prompts import PromptLibrary, load_prompts
from app.content.yamlfile import read_yaml
from app.engine.matching import learn_words

M = TypeVar("M", bound=BaseModel)

OFFLINE_PHRASINGS = [
    "greeting",
    "format",
    "ask_first",
    "acknowledge",
    "acknowledge_point",
    "acknowledge_section",
    "follow_up",
    "probe",
    "deepen",
    "deepen_open_points",
    "ask_for_real_example",
    "revisit",
    "code_first",
    "challenge",
    "challenge_before_hint",
    "challenge_insisted",
    "redirect",
    "redirect_instruct",
    "redirect_another",
    "answer_assumption",
    "answer_for_interviewer",
    "answer_closing",
    "hint",
    "hint_elsewhere",
    "hint_section",
    "custom_hint",
    "hint_all_covered",
    "hint_all_asked",
    "no_more_hints",
    "clarify",
    "clarify_open",
    "clarify_simpler",
    "encourage_dont_know",
    "encourage_no_story",
    "encourage_too_short",
    "encourage_gibberish",
    "encourage_keyword_list",
    "offer_hint",
    "next_question",
    "move_on_skipped",
    "move_on_stuck",
    "time_note",
    "wrap_up",
    "wrap_up_stuck",
    "wrap_up_skipped",
    "wrap_up_time",
    "close",
    "already_closed",
    "code_passed",
    "code_failed_visible",
    "code_failed_hidden",
    "code_error",
    "code_compile_error",
    "code_time_limit",
    "code_memory_limit",
    "code_output_limit",
]


@dataclass(frozen=True)
class Content:
    """Everything the interviewer knows: rounds, rubrics, questions and prompts."""

    rounds: Mapping[RoundType, RoundSpec]
    rubrics: Mapping[RoundType, Rubric]
    questions: Mapping[str, Question]
    prompts: PromptLibrary
    # onsite loops (loops/*.yaml): whole interview days for a target role
    loops: Mapping[str, Loop] = field(default_factory=dict)

    def questions_for(self, round_type: RoundType) -> list[Question]:
        """The bank's questions for one round, in a stable order."""
        return [q for q in self.questions.values() if q.round == round_type]


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "(top level)"
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)


def _read(path: Path, model: type[M]) -> M:
    data = read_yaml(path)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ContentError(f"{path}: {_describe(error)}") from error


def _check(condition: bool, path: Path, reason: str) -> None:
    if not condition:
        raise ContentError(f"{path}: {reason}")


def _load_round(folder: Path, rubric: Rubric) -> tuple[RoundSpec, list[Question]]:
    spec_path = folder / "_round.yaml"
    _check(spec_path.is_file(), spec_path, "round definition not found")
    spec = _read(spec_path, RoundSpec)
    _check(spec.id.value == folder.name, spec_path, f"id {spec.id.value!r} != folder name")
    criteria = {c.id for c in rubric.criteria}
    for section in spec.checklist:
        _check(
            section.criterion in criteria,
            spec_path,
            f"checklist section {section.id!r} names unknown criterion {section.criterion!r}",
        )
    questions = []
    for path in sorted(folder.glob("*.yaml")):
        if path.name == "_round.yaml":
            continue
        question = _read(path, Question)
        _check(question.id == path.stem, path, f"id {question.id!r} != file name {path.stem!r}")
        _check(question.round == spec.id, path, f"round {question.round.value!r} != folder")
        for point in question.key_points:
            _check(
                point.criterion in criteria,
                path,
                f"key point {point.id!r} names unknown criterion {point.criterion!r} "
                f"(rubric {rubric.id} has: {', '.join(sorted(criteria))})",
            )
        sections = {s.id for s in spec.checklist}
        for skipped in question.skip_sections:
            _check(
                skipped in sections,
                path,
                f"skip_sections names {skipped!r}, not a checklist section of the round "
                f"(it has: {', '.join(sorted(sections)) or 'none'})",
            )
        questions.append(question)
    _check(
        len(questions) >= spec.questions_per_interview,
        folder,
        f"{len(questions)} question(s), the round asks {spec.questions_per_interview}",
    )
    return spec, questions


def _strings(value: object) -> Iterator[str]:
    """Every text in a piece of content, however deep."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, BaseModel):
        yield from _strings(value.model_dump())
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _strings(item)


def load_content(root: Path) -> Content:
    """Load rounds, rubrics, questions and prompts under root; raise ContentError if bad."""
    rubrics: dict[RoundType, Rubric] = {}
    rounds: dict[RoundType, RoundSpec] = {}
    questions: dict[str, Question] = {}
    for round_type in RoundType:
        rubric_path = root / "rubrics" / f"{round_type.value}.yaml"
        _check(rubric_path.is_file(), rubric_path, "rubric not found")
        rubric = _read(rubric_path, Rubric)
        _check(rubric.round == round_type, rubric_path, f"round {rubric.round.value!r} != file")
        rubrics[round_type] = rubric
        spec, found = _load_round(root / "questions" / round_type.value, rubric)
        rounds[round_type] = spec
        for question in found:
            _check(
                question.id not in questions,
                root / "questions",
                f"question id {question.id!r} is used twice",
            )
            questions[question.id] = question
    required = [f"interviewer/{r.value}.j2" for r in RoundType]
    required += [
        "interviewer/move.j2",
        "interviewer/question.j2",
        "grader/system.j2",
        "grader/user.j2",
        "grader/sceptic.j2",
        "assessor/system.j2",
        "assessor/user.j2",
        "cv_question/system.j2",
        "cv_question/user.j2",
    ]
    prompts = load_prompts(root / "prompts", required=required, phrasing_keys=OFFLINE_PHRASINGS)
    loops = load_loops(root / "loops", rubrics, _read)
    # the bank's words are the matcher's known words: a typo of one reads as it ("spcae")
    learn_words(_strings([*questions.values(), *rounds.values(), *rubrics.values()]))
    return Content(
        rounds=rounds, rubrics=rubrics, questions=questions, prompts=prompts, loops=loops
    )


_LOADED: dict[tuple[Path, tuple[tuple[str, int, int], ...]], Content] = {}


def _fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Every content file's path, size and modification time."""
    found = []
    for folder in ("questions", "rubrics", "prompts", "loops"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                stat = path.stat()
                found.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def load_content_once(root: Path) -> Content:
    """load_content, reused while no file under root changes (content is immutable)."""
    key = (root.resolve(), _fingerprint(root))
    if key not in _LOADED:
        _LOADED.clear()  # keep one: an edited bank replaces the old one
        _LOADED[key] = load_content(root)
    return _LOADED[key]
