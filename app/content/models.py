"""The schema of the content files: rounds, questions, rubrics. Validated when loaded."""

from __future__ import annotations

import ast
import re
from enum import StrEnum
from typing import Annotated, Literal, cast

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StringConstraints,
    field_validator,
    model_serializer,
    model_validator,
)

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class RoundType(StrEnum):
    """Every round type a candidate can practise."""

    coding = "coding"
    ml_coding = "ml_coding"
    ml_theory = "ml_theory"
    ml_system_design = "ml_system_design"
    system_design = "system_design"
    behavioral = "behavioral"
    research = "research"
    cs_fundamentals = "cs_fundamentals"


def _unique(items, what: str):
    """Refuse repeated ids among items (key points, criteria)."""
    ids = [item.id for item in items]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"duplicate {what} ids: {', '.join(duplicates)}")
    return items


class Frozen(BaseModel):
    """Content is immutable once loaded, and unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _words(phrase: str) -> frozenset[str]:
    """A phrase's lowercased words without the commonest function words (for overlap checks)."""
    lowered = phrase.lower()
    # a complexity is one word: "o(v * e)" is not contained in "o(v + e)"
    big_o = [re.sub(r"\s+", "", o) for o in re.findall(r"o\s*\((?:[^()]|\([^()]*\))*\)", lowered)]
    rest = re.sub(r"o\s*\((?:[^()]|\([^()]*\))*\)", " ", lowered)
    # an operator or a keyword quoted as code is a word: "`is` compares values" is not in
    # "compares values"
    operators = re.findall(r"==|!=|`[a-z ]+`", rest)
    rest = re.sub(r"==|!=|`[a-z ]+`", " ", rest)
    found = big_o + operators + re.findall(r"[a-z0-9+#^]+", rest)
    return frozenset(w for w in found if w not in _FUNCTION_WORDS) or frozenset(found)


def _plain(text: str) -> str:
    """Lowercased words separated by single spaces (for containment checks)."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


_FUNCTION_WORDS = frozenset("a an the of to in on for with and or is are it its you we i".split())


class WrongVersion(Frozen):
    """A common wrong version of a key point: what the claim says, and why it is wrong."""

    phrases: tuple[Text, ...] = Field(min_length=1)
    # for the interviewer only: never shown to the candidate during the interview
    note: Text
    # the push-back for this wrong version when the key point's own challenge does not fit it
    challenge: Text | None = None


class KeyPoint(Frozen):
    """Something a strong answer covers; hidden from the candidate during the interview."""

    id: Slug
    text: Text
    weight: float = Field(gt=0, le=10)
    phrases: tuple[Text, ...] = Field(min_length=1)
    criterion: Slug
    # other ways a candidate says it, in plain words (3-12 words each)
    paraphrases: tuple[Text, ...] = ()
    wrong: tuple[WrongVersion, ...] = ()
    # a push-back that does not give the answer away, asked when a wrong version is heard
    challenge: Text | None = None
    # a hint towards this point for a candidate stuck on it (after its follow-up, say): a
    # question or a pointer that moves them towards it without stating it
    nudge: Text | None = None

    @field_validator("paraphrases")
    @classmethod
    def _paraphrase_length(cls, paraphrases):
        for paraphrase in paraphrases:
            count = len(paraphrase.split())
            if not 2 <= count <= 14:
                raise ValueError(
                    f"paraphrase {paraphrase!r} has {count} words; write 3-12 words in plain terms"
                )
        return paraphrases

    @model_validator(mode="after")
    def _wrong_is_challenged(self) -> KeyPoint:
        # a wrong version heard is pushed back on in the point's own words; the follow-up
        # (asked when the point is missing) reads as if the candidate had said nothing
        if any(w.challenge is None for w in self.wrong) and self.challenge is None:
            raise ValueError(
                f"key point {self.id!r} has wrong versions but no challenge; add a challenge: "
                "a question that makes the candidate check the claim without giving the answer"
            )
        return self

    @model_validator(mode="after")
    def _nudge_does_not_tell(self) -> KeyPoint:
        # a nudge that says one of the point's own phrases hands the candidate the point
        if self.nudge is not None:
            said = f" {_plain(self.nudge)} "
            told = next((p for p in self.phrases if f" {_plain(p)} " in said), None)
            if told is not None:
                raise ValueError(
                    f"key point {self.id!r}: the nudge says the point's phrase {told!r}; a nudge "
                    "moves the candidate towards the point without stating it"
                )
        return self

    @model_validator(mode="after")
    def _wrong_is_not_right(self) -> KeyPoint:
        # a wrong phrase whose words all occur in a correct phrase would fire on every correct
        # answer, so the candidate saying the right thing would be challenged for it
        right = [(p, _words(p)) for p in (*self.phrases, *self.paraphrases)]
        for version in self.wrong:
            for phrase in version.phrases:
                words = _words(phrase)
                clash = next((p for p, w in right if words <= w), None)
                if clash is not None:
                    raise ValueError(
                        f"key point {self.id!r}: wrong phrase {phrase!r} is contained in the "
                        f"correct phrase {clash!r}; make the wrong version say what is wrong"
                    )
        return self


class WrongReply(Frozen):
    """The bare "yes" or "no" that answers a yes/no follow-up wrongly ("Is a dict lookup always
    constant time?" "Yep, always."): a wrong claim about the follow-up's key point."""

    reply: Literal["yes", "no"]
    # for the interviewer only, as a wrong version's note
    note: Text
    challenge: Text


class FollowUp(Frozen):
    """A follow-up question asked when its key point is still uncovered."""

    key_point: Slug
    prompt: Text
    # the key point this follow-up builds on ("Which kind of heap are you using?" needs the
    # heap on the table): asked, or given as a hint, only once that point is covered
    after: Slug | None = None
    wrong_reply: WrongReply | None = None


Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=60)]
Compare = Literal["exact", "approx", "unordered", "unordered_deep"]
# the library a question's code is written with: NumPy (the default) or PyTorch, which only
# questions that ask for it get (with the sandbox limits raised for its import)
Framework = Literal["numpy", "pytorch"]


def _imports(source: str, module: str) -> bool:
    """Whether source imports module (or one of its submodules) anywhere."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        if any(name == module or name.startswith(f"{module}.") for name in names):
            return True
    return False


def _compiles(source: str, mode: Literal["exec", "eval"], what: str) -> str:
    """Refuse a snippet that is not valid Python, naming the snippet and the line."""
    try:
        compile(source, what, mode)
    except SyntaxError as error:
        raise ValueError(f"{what} is not valid Python: {error.msg} (line {error.lineno})") from None
    return source


class CodeTest(Frozen):
    """One test of a coding question, run in the sandbox against the candidate's function.

    `setup` (statements) builds the inputs, `call` (an expression) calls the function, then
    either `expect` (an expression) is compared with the result using `compare`, or `check`
    (statements seeing `result` and the setup's names) asserts properties of it.
    """

    name: Text
    visible: bool = False
    setup: str = ""
    call: Text
    expect: Text | None = None
    check: Text | None = None
    compare: Compare = "exact"
    rtol: float = Field(default=1e-6, ge=0)
    atol: float = Field(default=1e-8, ge=0)

    @model_validator(mode="after")
    def _valid_snippets(self) -> CodeTest:
        if (self.expect is None) == (self.check is None):
            raise ValueError(f"test {self.name!r}: give exactly one of expect and check")
        _compiles(self.setup, "exec", f"test {self.name!r} setup")
        _compiles(self.call, "eval", f"test {self.name!r} call")
        if self.expect is not None:
            _compiles(self.expect, "eval", f"test {self.name!r} expect")
        if self.check is not None:
            _compiles(self.check, "exec", f"test {self.name!r} check")
        return self


class CodeSpec(Frozen):
    """What makes a question runnable: the function to write, its tests, a reference solution."""

    entry: Identifier
    # further functions or classes the candidate writes, which the tests call by name
    also: tuple[Identifier, ...] = ()
    starter: Text
    # never shown; the bank's tests prove it passes every test and the starter does not
    solution: Text
    time_limit_seconds: float = Field(default=2.0, gt=0, le=10)
    tests: tuple[CodeTest, ...] = Field(min_length=3, max_length=30)
    framework: Framework = "numpy"

    @model_validator(mode="after")
    def _valid(self) -> CodeSpec:
        _compiles(self.starter, "exec", "starter")
        _compiles(self.solution, "exec", "solution")
        names = [t.name for t in self.tests]
        if len(set(names)) != len(names):
            raise ValueError("test names must be unique")
        visible = sum(t.visible for t in self.tests)
        if visible < 1 or len(self.tests) - visible < 2:
            raise ValueError("give at least one visible test and at least two hidden tests")
        self._uses_its_framework()
        return self

    def _uses_its_framework(self) -> None:
        """PyTorch code and tests only in a PyTorch question, whose starter imports torch."""
        if self.framework == "pytorch":
            if not _imports(self.starter, "torch"):
                raise ValueError("framework pytorch: the starter must import torch")
            return
        snippets = {"starter": self.starter, "solution": self.solution}
        snippets |= {f"test {t.name!r} setup": t.setup for t in self.tests}
        snippets |= {f"test {t.name!r} check": t.check or "" for t in self.tests}
        for what, source in snippets.items():
            if _imports(source, "torch"):
                raise ValueError(f"{what} imports torch: set framework: pytorch in the code block")

    @property
    def visible_tests(self) -> tuple[CodeTest, ...]:
        """The examples the candidate can see and Run against."""
        return tuple(t for t in self.tests if t.visible)


class Assumption(Frozen):
    """What the interviewer answers when a clarifying question mentions one of `about`."""

    about: tuple[Text, ...] = Field(min_length=1)
    answer: Text


class DeepDive(Frozen):
    """A question past the key points, asked once an answer is complete. A bare string in a
    question file is a deep dive with no `answered_by`."""

    ask: Text
    # how a candidate who already answered it says so ("p = q / (q + (1-q)/w)", "fail open"):
    # one of them heard, the dive is not asked
    answered_by: tuple[Text, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: object) -> object:
        return {"ask": value} if isinstance(value, str) else value


class HintStep(Frozen):
    """A step of a question's hint ladder. A bare string in a question file is a step whose
    subject is left to the engine (`app.engine.gap.subject_of` infers it from the words)."""

    text: Text
    # the key point the step leads to; null: a general step, about no point in particular.
    # Stated when the words would mislead ("Start from what memory each option shares." shares
    # more words with the point on costs than with the one on shared memory)
    about: Slug | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: object) -> object:
        return {"text": value} if isinstance(value, str) else value

    @model_serializer(mode="wrap")
    def _as_written(self, handler: SerializerFunctionWrapHandler) -> object:
        # dumped as written, so a stored question (the one written about a CV project) reads
        # back the same: a string stays a step whose subject is inferred, not a general one
        return handler(self) if self.stated else self.text

    @property
    def stated(self) -> bool:
        """True when the file says what the step is about (a point, or null: none)."""
        return "about" in self.model_fields_set


class Question(Frozen):
    """One question of the bank."""

    id: Slug
    round: RoundType
    title: Text
    prompt: Text
    difficulty: Literal["easy", "medium", "hard"]
    tags: tuple[Slug, ...] = Field(min_length=1)
    key_points: tuple[KeyPoint, ...] = Field(min_length=2)
    follow_ups: tuple[FollowUp, ...] = Field(min_length=1)
    hints: tuple[HintStep, HintStep, HintStep]
    model_answer: tuple[Text, ...] = Field(min_length=2)
    expected_complexity: Text | None = None
    # coding and ML coding questions: the function, its tests and a reference solution
    code: CodeSpec | None = None
    # answers to the clarifying questions candidates commonly ask
    assumptions: tuple[Assumption, ...] = ()
    # asked once an answer is complete: why, trade-offs, numbers, edge cases
    deep_dives: tuple[DeepDive, ...] = ()
    # the round's checklist sections that do not fit this question (a serving or evaluation
    # design trains no model: no "where does the training data come from?"): never probed, and
    # not graded
    skip_sections: tuple[Slug, ...] = ()
    # the question asked about a project from the candidate's CV: `{project}` is its name
    cv_prompt: Text | None = None
    # behavioral: words a story that answers this question names (one is enough: "feedback",
    # "told me"); a story that names none and reaches no key point answers another question
    theme: tuple[Text, ...] = ()
    # the question in plain words, for "can you say it in simpler terms?": shorter than the
    # prompt, the ask alone, no code; without it the prompt's asking sentences are used
    plain: Text | None = None
    # the candidate picks what the answer is about (their own project, a paper of their
    # choice): its words are never another question's, whatever its field
    any_subject: bool = False

    @field_validator("cv_prompt")
    @classmethod
    def _names_the_project_once(cls, cv_prompt: str | None) -> str | None:
        if cv_prompt is not None and (
            cv_prompt.count("{project}") != 1 or cv_prompt.count("{") != 1
        ):
            raise ValueError("cv_prompt must contain {project} once and no other braces")
        return cv_prompt

    @model_validator(mode="after")
    def _plain_is_plain(self) -> Question:
        if self.plain is None:
            return self
        words = len(self.plain.split())
        if words > 35 or words >= len(self.prompt.split()) or "`" in self.plain:
            raise ValueError(
                f"plain has {words} words: the question in plain words is shorter than the "
                "prompt, at most 35 words, with no code"
            )
        return self

    @field_validator("follow_ups")
    @classmethod
    def _follow_ups_name_key_points(cls, follow_ups, info):
        known = {kp.id for kp in info.data.get("key_points", ())}
        for follow_up in follow_ups:
            if follow_up.key_point not in known:
                raise ValueError(f"follow-up names unknown key point {follow_up.key_point!r}")
            if follow_up.after is not None and follow_up.after not in known - {follow_up.key_point}:
                raise ValueError(
                    f"follow-up on {follow_up.key_point!r} comes after {follow_up.after!r}, "
                    "which is not another key point of the question"
                )
        return follow_ups

    @field_validator("key_points")
    @classmethod
    def _unique_key_points(cls, key_points):
        return _unique(key_points, "key point")

    @field_validator("hints")
    @classmethod
    def _hints_name_key_points(cls, hints, info):
        if "key_points" not in info.data:
            return hints  # the key points' own error says what is wrong
        known = {kp.id for kp in info.data["key_points"]}
        for number, step in enumerate(hints, 1):
            if step.about is not None and step.about not in known:
                raise ValueError(
                    f"hint {number} is about {step.about!r}, which is not a key point of the "
                    f"question; name one of {', '.join(sorted(known))}, or null for a general step"
                )
        return hints


# what covers a checklist section beyond its phrases (see `ChecklistSection.covered_by`)
CoveredBy = Literal[
    "own_action",
    "scene",
    "clarifying_question",
    "test_plan",
    "list",
    "trade_off",
    "measured_change",
]


class ChecklistSection(Frozen):
    """A generic part of a good answer in this round (a STAR part, a design-template section)."""

    id: Slug
    name: Text
    phrases: tuple[Text, ...] = Field(min_length=1)
    probes: tuple[Text, ...] = Field(min_length=1)
    criterion: Slug
    # other ways a candidate addresses this part, in plain words
    paraphrases: tuple[Text, ...] = ()
    # what else covers it, beyond its phrases: any first-person account of something the
    # candidate did ("I booked an hour with her every week": a STAR action has more verbs than
    # a phrase list can hold), a sentence that places a story ("At the food bank I ran, ..."),
    # any clarifying question about the problem, or a line of inputs to test ("Tests: [], [5],
    # [3,3]/6, negatives, no pair."; it also covers the key points of the section's criterion),
    # or a list under the section's name, for a part whose answer is a list by nature
    # ("Reqs: push, sms, email, quiet hours", "Features" over "- hotel: stars, price"; its items
    # count for the key points about the section), or a sentence that weighs one option
    # against another in everyday words ("simpler, but lets 2N through at the boundary")
    covered_by: CoveredBy | None = None
    # a part that tells what came of the work (a STAR result): its words said as a goal or a
    # plan ("we had six weeks to ship it", "the plan was to launch it") are no outcome
    outcome: bool = False


class RoundSpec(Frozen):
    """A round type: how long it lasts, how it is run, what it always checks."""

    id: RoundType
    title: Text
    description: Text
    duration_minutes: int = Field(ge=5, le=180)
    questions_per_interview: int = Field(ge=1, le=5)
    follow_ups_per_question: int = Field(ge=0, le=6)
    # alternate probes for missing checklist sections (e.g. STAR parts) with key-point follow-ups,
    # starting with a section; otherwise key points come first
    checklist_first: bool = False
    # answers are accounts of what happened: what the candidate "would" do earns nothing
    past_experience: bool = False
    # the code is what the round assesses: once the idea is out the interviewer asks to see it
    # before going deeper, and a solution only talked through is no hire at most
    code_required: bool = False
    checklist: tuple[ChecklistSection, ...] = ()
    # clarifying questions any question of the round may get ("does it have to be from work?"),
    # answered after the question's own assumptions
    assumptions: tuple[Assumption, ...] = ()


Signal = Literal[
    "key_points",  # weighted coverage of the question's key points tagged with this criterion
    "checklist",  # coverage of the round's checklist sections tagged with this criterion
    "quantified",  # numbers and units in the answers (a measurable result)
    "ownership",  # "I" over "we": the candidate's own actions
    "structure",  # organised answers: steps, enumerations, explicit trade-offs
    "elaboration",  # answers neither one-liners nor rambling walls of text
    "complexity",  # time and space complexity stated
    "code",  # code written in the answer
    "testing",  # edge cases, examples, tests
    "hidden_tests",  # pass rate of the last submitted code on the question's hidden tests
    "independence",  # few hints used
]


class WeightedSignal(Frozen):
    """One measurable signal the offline scorer combines into a criterion score."""

    kind: Signal
    weight: float = Field(gt=0, le=10)


class Criterion(Frozen):
    """A rubric criterion with anchored level descriptors on the 1-4 scale."""

    id: Slug
    name: Text
    weight: float = Field(gt=0, le=10)
    description: Text
    levels: dict[Literal[1, 2, 3, 4], Text]
    signals: tuple[WeightedSignal, ...] = Field(min_length=1)

    @field_validator("levels")
    @classmethod
    def _all_four_levels(cls, levels):
        missing = sorted({1, 2, 3, 4} - set(levels))
        if missing:
            raise ValueError(f"missing level descriptor(s) for {missing}")
        return levels

    def level(self, score: int) -> str:
        """The descriptor of a score (a stored score is a plain int; "" off the scale)."""
        return self.levels.get(cast(Literal[1, 2, 3, 4], score), "")


class Rubric(Frozen):
    """How a round is graded: 4 strong hire, 3 hire, 2 no hire, 1 strong no hire."""

    id: Slug
    round: RoundType
    version: int = Field(ge=1)
    criteria: tuple[Criterion, ...] = Field(min_length=3, max_length=8)

    @field_validator("criteria")
    @classmethod
    def _unique_criteria(cls, criteria):
        return _unique(criteria, "criterion")
