"""Content is data: every file loads, validates and renders; a bad file fails loudly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from app.config import PROJECT_ROOT
from app.content.errors import ContentError
from app.content.loader import OFFLINE_PHRASINGS, Content, load_content
from app.content.models import CodeSpec, HintStep, Question, RoundType
from app.engine.gap import subject_of
from app.engine.matching import STOPWORDS, tokens
from app.engine.moves import CodeOutcome, Move, MoveKind
from app.engine.topics import EVERYDAY, bank_topic, custom_topic
from app.scoring.llm_grader import TranscriptLine, grader_messages
from app.services.cv_questions import CV_ROUNDS
from app.services.cv_questions import messages as cv_messages
from app.voice.context import build_messages
from app.voice.offline import OfflineVoice
from app.voice.scene import Scene, Utterance


def test_every_round_is_registered_with_enough_questions(content: Content) -> None:
    assert set(content.rounds) == set(RoundType)
    assert set(content.rubrics) == set(RoundType)
    for round_type in RoundType:
        assert len(content.questions_for(round_type)) >= 3, round_type


def test_rubrics_use_the_four_level_scale(content: Content) -> None:
    for rubric in content.rubrics.values():
        assert 3 <= len(rubric.criteria) <= 8
        for criterion in rubric.criteria:
            assert set(criterion.levels) == {1, 2, 3, 4}


def test_key_points_have_follow_ups_and_hint_ladders(content: Content) -> None:
    for question in content.questions.values():
        assert len(question.hints) == 3
        followed = {f.key_point for f in question.follow_ups}
        assert followed <= {k.id for k in question.key_points}


# a question's words that carry its subject: not stop words, everyday words or question words
_ASKING = frozenset(
    {"what", "how", "why", "when", "which", "who", "where", "would", "could", "does"}
)


def _subject(text: str) -> set[str]:
    return {
        t for t in tokens(text) if len(t) > 2 and t not in STOPWORDS | EVERYDAY | _ASKING
    }


def test_no_deep_dive_asks_a_follow_up_again(content: Content) -> None:
    """A deep dive comes after the follow-ups, or after the candidate covered their points: one
    that asks a follow-up again ("how do you find a deadlock in production?" after "a service
    hangs: how do you confirm a deadlock?") re-asks what was answered."""
    repeats = []
    for question in content.questions.values():
        for deep in question.deep_dives:
            words = _subject(deep.ask)
            for follow_up in question.follow_ups:
                shared = words & _subject(follow_up.prompt)
                if len(words) >= 3 and len(shared) >= 0.6 * len(words):
                    repeats.append(f"{question.id}: {deep.ask!r} repeats {follow_up.prompt!r}")
    assert not repeats, "\n".join(repeats)


def _scene(content: Content, round_type: RoundType, move: Move, custom: bool) -> Scene:
    spec = content.rounds[round_type]
    question = content.questions_for(round_type)[0]
    topic = custom_topic("Design something.", spec) if custom else bank_topic(question, spec)
    return Scene(
        move=move,
        spec=spec,
        rubric=content.rubrics[round_type],
        topic=topic,
        number=1,
        total=2,
        section=spec.checklist[0] if spec.checklist else None,
        role="ML Engineer",
        level="senior",
        turn=3,
        history=[Utterance("interviewer", "Hello"), Utterance("candidate", "Hi")],
    )


def _outcome(status: str, **fields: object) -> CodeOutcome:
    return CodeOutcome(status=status, passed=3, total=7, hidden_passed=1, hidden_total=5, **fields)


CODE_OUTCOMES = [
    CodeOutcome(status="passed", passed=7, total=7, hidden_passed=5, hidden_total=5),
    _outcome("failed", failing_input="f([1, 2])", expected="3", actual="4"),
    _outcome("failed"),
    _outcome("error", failing_input="f([])", error="IndexError: list index out of range"),
    _outcome("error", error="ZeroDivisionError: division by zero"),
    _outcome("compile_error", error="SyntaxError: expected ':'"),
    _outcome("time_limit", error="time limit"),
    _outcome("time_limit", failing_input="f(big)", error="time limit"),
    _outcome("memory_limit", error="memory limit"),
    _outcome("output_limit", error="output limit"),
]

MOVES = [
    Move(kind=MoveKind.open, topic_id="t"),
    Move(kind=MoveKind.follow_up, topic_id="t", target_id="k", text="Why?", acknowledged=True),
    Move(kind=MoveKind.probe, topic_id="t", target_id="s", text="And then?", minutes_left=5),
    Move(kind=MoveKind.hint, topic_id="t", hint_level=2, text="Think of X."),
    Move(kind=MoveKind.hint, topic_id="t", hint_level=1),
    Move(kind=MoveKind.no_more_hints, topic_id="t"),
    Move(kind=MoveKind.clarify, topic_id="t", text="Q"),
    *[
        Move(kind=MoveKind.encourage, topic_id="t", cause=r, hint_level=0)
        for r in ("dont_know", "too_short", "gibberish", "keyword_list")
    ],
    *[
        Move(kind=MoveKind.next_question, topic_id="t", cause=r, acknowledged=True)
        for r in ("covered", "skipped", "stuck", "time", "stale")
    ],
    *[Move(kind=MoveKind.wrap_up, topic_id="t", cause=r) for r in ("time", "covered")],
    Move(kind=MoveKind.close, topic_id="t"),
    Move(kind=MoveKind.close, topic_id="t", cause="already_closed"),
    # the moves of issue 14: acknowledgements that name what was said, challenge, deepen,
    # redirect, and answers to the candidate's questions
    Move(kind=MoveKind.follow_up, topic_id="t", text="Why?", acknowledged=True, ack="a heap"),
    *[
        Move(
            kind=MoveKind.probe,
            topic_id="t",
            target_id="s",
            text="And?",
            acknowledged=True,
            ack="Evaluation",
            ack_section=True,
            reason="serving not yet discussed",
        )
    ],
    Move(kind=MoveKind.deepen, topic_id="t", text="What numbers?", acknowledged=True),
    Move(kind=MoveKind.challenge, topic_id="t", target_id="k", text="Sure?", said="O(n)"),
    Move(kind=MoveKind.challenge, topic_id="t", target_id="k", text="Sure?"),
    *[Move(kind=MoveKind.redirect, topic_id="t", cause=r) for r in ("off_topic", "instruct")],
    Move(kind=MoveKind.answer_question, topic_id="t", cause="assumption", text="Yes, sorted."),
    *[
        Move(kind=MoveKind.answer_question, topic_id="t", cause=r)
        for r in ("for_interviewer", "closing")
    ],
    Move(kind=MoveKind.next_question, topic_id="t", cause="covered", ack="x", acknowledged=True),
    *[
        Move(kind=MoveKind.code_result, topic_id="t", cause=outcome.status, code=outcome)
        for outcome in CODE_OUTCOMES
        if outcome.status != "passed"
    ],
    Move(kind=MoveKind.follow_up, topic_id="t", target_id="k", text="Why?", code=CODE_OUTCOMES[0]),
    Move(kind=MoveKind.next_question, topic_id="t", reason="covered", code=CODE_OUTCOMES[0]),
]


@pytest.mark.parametrize("round_type", list(RoundType))
def test_every_prompt_renders_for_every_move(content: Content, round_type: RoundType) -> None:
    voice = OfflineVoice(content.prompts)
    for move in MOVES:
        for custom in (False, True):
            scene = _scene(content, round_type, move, custom)
            offline = voice.compose(scene)
            assert offline.strip()
            messages = build_messages(scene, content.prompts, budget=2000)
            assert messages[0]["role"] == "system"
            assert "Director's instruction" in messages[-1]["content"]


def test_every_offline_phrasing_variant_renders(content: Content) -> None:
    variables = dict(
        round=content.rounds[RoundType.coding],
        role="SWE",
        level="senior",
        question=bank_topic(
            content.questions_for(RoundType.coding)[0], content.rounds[RoundType.coding]
        ),
        number=1,
        total=2,
        text="Why?",
        ack="a heap",
        said="O(n)",
        section_name="Testing",
        minutes_left=5,
        hint_level=1,
    )
    for key in OFFLINE_PHRASINGS:
        for variant in range(content.prompts.phrasing_count(key)):
            for code in CODE_OUTCOMES:
                rendered = content.prompts.phrase(key, variant, **variables, code=code)
                assert rendered.strip(), key


@pytest.mark.parametrize("round_type", list(RoundType))
def test_grader_prompts_render(content: Content, round_type: RoundType) -> None:
    from app.engine.state import InterviewState
    from app.scoring.answers import group_answers

    spec = content.rounds[round_type]
    topic = bank_topic(content.questions_for(round_type)[0], spec)
    state = InterviewState(
        round=round_type, plan=[topic.id], budget_seconds=60, progress=[{"topic_id": topic.id}]
    )
    groups = group_answers([], state, [topic], spec)
    messages = grader_messages(
        prompts=content.prompts,
        rubric=content.rubrics[round_type],
        spec=spec,
        groups=groups,
        transcript=[TranscriptLine(seq=2, role="candidate", content="A")],
    )
    assert "Rubric" in messages[0]["content"]
    assert '<candidate seq="2">' in messages[1]["content"]


@pytest.mark.parametrize("round_type", sorted(CV_ROUNDS))
def test_cv_question_prompts_render(content: Content, round_type: RoundType) -> None:
    for project, job in (("Tiny Transformer", "An ML job"), (None, None)):
        system, user = cv_messages(content, round_type, project=project, cv="A CV", job=job)
        assert "Rubric criteria" in system["content"]
        assert "<candidate_cv>\nA CV\n</candidate_cv>" in user["content"]
        assert ("<job_description>" in user["content"]) == (job is not None)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    for folder in ("questions", "rubrics", "prompts"):
        shutil.copytree(PROJECT_ROOT / folder, tmp_path / folder)
    return tmp_path


def _edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def _a_question(root: Path) -> Path:
    return next(
        p for p in sorted((root / "questions" / "coding").glob("*.yaml")) if p.name != "_round.yaml"
    )


def test_the_copy_loads(content_copy: Path) -> None:
    assert load_content(content_copy).questions


def test_an_unknown_key_names_the_file_and_the_key(content_copy: Path) -> None:
    path = _a_question(content_copy)
    _edit_yaml(path, lambda d: d.update(answer_key="oops"))
    with pytest.raises(ContentError) as error:
        load_content(content_copy)
    assert str(path) in str(error.value)
    assert "answer_key" in str(error.value)


def test_a_missing_hint_step_is_refused(content_copy: Path) -> None:
    path = _a_question(content_copy)
    _edit_yaml(path, lambda d: d.update(hints=d["hints"][:2]))
    with pytest.raises(ContentError, match="hints"):
        load_content(content_copy)


def test_a_hint_step_about_an_unknown_key_point_is_refused_with_the_file_and_step(
    content_copy: Path,
) -> None:
    path = _a_question(content_copy)
    _edit_yaml(path, lambda d: d["hints"].__setitem__(1, {"text": "Look.", "about": "nope"}))
    with pytest.raises(ContentError) as error:
        load_content(content_copy)
    assert str(path) in str(error.value)
    assert "hint 2 is about 'nope', which is not a key point of the question" in str(error.value)


def test_a_hint_step_is_a_string_or_a_text_with_what_it_is_about(content_copy: Path) -> None:
    path = _a_question(content_copy)
    point = yaml.safe_load(path.read_text())["key_points"][0]["id"]

    def state(data) -> None:
        data["hints"][0] = {"text": data["hints"][0], "about": point}
        data["hints"][1] = {"text": data["hints"][1], "about": None}

    _edit_yaml(path, state)
    question = load_content(content_copy).questions[path.stem]
    first, second, third = question.hints
    assert (first.about, first.stated) == (point, True)
    assert (second.about, second.stated) == (None, True)  # a general step, said so
    assert (third.about, third.stated) == (None, False)  # left to the words


def test_a_question_read_back_from_its_dump_keeps_what_its_steps_are_about(
    content: Content,
) -> None:
    """A question stored with an interview (the one written about a CV project) is dumped and
    read back: a step left to its words must not come back as a general step."""
    for question_id in ("threads-vs-processes-gil", "loss-functions-gradients", "two-sum"):
        question = content.questions[question_id]
        again = Question.model_validate(question.model_dump(mode="json"))
        assert [(s.text, s.about, s.stated) for s in again.hints] == [
            (s.text, s.about, s.stated) for s in question.hints
        ]


def test_every_stated_hint_subject_is_a_key_point_of_its_question(content: Content) -> None:
    stated = 0
    for question in content.questions.values():
        points = {k.id for k in question.key_points}
        for step in question.hints:
            assert step.about is None or step.about in points, (question.id, step.text)
            stated += step.stated
    assert stated  # the bank uses it


def test_the_first_threads_step_is_about_shared_memory_not_the_costs(content: Content) -> None:
    """"Start from what memory each option shares." shares more words with the costs point
    (shared data, locks) than with the point on what threads and processes share: stated."""
    question = content.questions["threads-vs-processes-gil"]
    topic = bank_topic(question, content.rounds[question.round])
    first = question.hints[0].text
    assert subject_of(topic, first) == "definitions"
    words = bank_topic(
        question.model_copy(update={"hints": (HintStep(text=first), *question.hints[1:])}),
        content.rounds[question.round],
    )
    assert subject_of(words, first) == "costs"  # what the words alone would say


def test_a_key_point_naming_an_unknown_criterion_is_refused(content_copy: Path) -> None:
    path = _a_question(content_copy)
    _edit_yaml(path, lambda d: d["key_points"][0].update(criterion="nonexistent"))
    with pytest.raises(ContentError, match="unknown criterion 'nonexistent'"):
        load_content(content_copy)


def test_a_skipped_section_the_round_does_not_have_is_refused(content_copy: Path) -> None:
    path = _a_question(content_copy)
    _edit_yaml(path, lambda d: d.update(skip_sections=["no_such_section"]))
    with pytest.raises(ContentError, match="skip_sections names 'no_such_section'") as error:
        load_content(content_copy)
    assert str(path) in str(error.value)


def test_a_rubric_missing_a_level_is_refused(content_copy: Path) -> None:
    path = content_copy / "rubrics" / "behavioral.yaml"
    _edit_yaml(path, lambda d: d["criteria"][0]["levels"].pop(4))
    with pytest.raises(ContentError) as error:
        load_content(content_copy)
    assert str(path) in str(error.value)
    assert "missing level descriptor" in str(error.value)


def test_broken_yaml_is_refused_with_its_path(content_copy: Path) -> None:
    path = content_copy / "rubrics" / "coding.yaml"
    path.write_text("criteria: [unclosed\n")
    with pytest.raises(ContentError, match="not valid YAML") as error:
        load_content(content_copy)
    assert str(path) in str(error.value)


def test_a_code_block_names_its_framework_and_uses_no_other(
    content: Content, content_copy: Path
) -> None:
    assert content.questions["kmeans-from-scratch"].code.framework == "numpy"  # the default
    spec = content.questions["pytorch-training-loop"].code
    assert spec.framework == "pytorch"
    with pytest.raises(ValidationError, match="framework pytorch: the starter must import torch"):
        CodeSpec.model_validate({**spec.model_dump(), "starter": "def train():\n    pass\n"})
    with pytest.raises(ValidationError, match="'numpy' or 'pytorch'"):
        CodeSpec.model_validate({**spec.model_dump(), "framework": "jax"})
    # PyTorch code in a NumPy question would run without torch and under NumPy's limits
    path = content_copy / "questions" / "ml_coding" / "pytorch-training-loop.yaml"
    _edit_yaml(path, lambda d: d["code"].pop("framework"))
    with pytest.raises(ContentError, match="starter imports torch: set framework") as error:
        load_content(content_copy)
    assert str(path) in str(error.value)


def test_a_broken_template_is_refused_with_its_path(content_copy: Path) -> None:
    path = content_copy / "prompts" / "interviewer" / "move.j2"
    path.write_text("{% if move.kind %}never closed")
    with pytest.raises(ContentError) as error:
        load_content(content_copy)
    assert str(path) in str(error.value)


def test_a_missing_offline_phrasing_is_refused(content_copy: Path) -> None:
    path = content_copy / "prompts" / "offline" / "phrases.yaml"
    _edit_yaml(path, lambda d: d.pop("hint"))
    with pytest.raises(ContentError, match="missing offline phrasing"):
        load_content(content_copy)


def test_an_undefined_variable_fails_when_rendered(content: Content) -> None:
    with pytest.raises(ContentError, match="undefined"):
        content.prompts.render("interviewer/question.j2", number=1, total=1)


def test_templates_are_sandboxed(content_copy: Path) -> None:
    path = content_copy / "prompts" / "grader" / "user.j2"
    path.write_text("{{ ''.__class__.__mro__ }}")
    loaded = load_content(content_copy)
    with pytest.raises(ContentError):
        loaded.prompts.render("grader/user.j2")


def test_every_key_point_has_evidence_beyond_the_question_text(content: Content) -> None:
    from app.engine.matching import phrase_tokens, tokens

    for question in content.questions.values():
        asked = set(tokens(question.prompt)) | set(tokens(question.title))
        for point in question.key_points:
            own = [p for p in point.phrases if not set(phrase_tokens(p)) <= asked]
            assert own, f"{question.id}/{point.id}: every phrase repeats the question"


def test_repeating_the_question_covers_no_key_point(content: Content) -> None:
    from app.engine.assessor import assess
    from app.engine.director import Director

    for round_type in RoundType:
        spec = content.rounds[round_type]
        for question in content.questions_for(round_type):
            director = Director(spec=spec, topics=[bank_topic(question, spec)])
            state = director.start(budget_seconds=3600).state
            echo = f"{question.title}. {question.prompt}"
            assessment = assess(director.topic_of(state), spec, echo)
            decision = director.decide(state=state, assessment=assessment, elapsed_seconds=10)
            assert decision.state.current.covered == [], (question.id, decision.state.current)


def test_content_is_loaded_once_until_a_file_changes(content_copy: Path) -> None:
    from app.content.loader import load_content_once

    first = load_content_once(content_copy)
    assert load_content_once(content_copy) is first
    path = _a_question(content_copy)
    path.write_text(path.read_text().replace("difficulty: ", "difficulty:  ", 1))
    assert load_content_once(content_copy) is not first
    path.write_text(path.read_text() + "unknown_key: 1\n")
    with pytest.raises(ContentError, match="unknown_key"):
        load_content_once(content_copy)


def test_every_phrase_names_something_beyond_pronouns(content: Content) -> None:
    # stop words drop out when phrases are matched: a phrase left with only "i", "we" or "our"
    # would match any first-person sentence ("if i did it again i would" became "i i")
    pronouns = {"i", "we", "you", "they", "he", "she", "me", "us", "my", "our", "not", "no"}
    empty = []
    phrases: list[tuple[str, str]] = []
    for question in content.questions.values():
        for point in question.key_points:
            where = f"{question.id}:{point.id}"
            phrases += [(where, p) for p in (*point.phrases, *point.paraphrases)]
            phrases += [(where, p) for wrong in point.wrong for p in wrong.phrases]
    for spec in content.rounds.values():
        for section in spec.checklist:
            where = f"{spec.id.value}:{section.id}"
            phrases += [(where, p) for p in (*section.phrases, *section.paraphrases)]
    for where, phrase in phrases:
        if not set(tokens(phrase)) - pronouns:
            empty.append((where, phrase))
    assert not empty


def test_a_wrong_version_without_a_challenge_is_refused_with_the_file_and_point(
    content_copy: Path,
) -> None:
    path = content_copy / "questions" / "coding" / "two-sum.yaml"

    def drop(data) -> None:
        point = next(k for k in data["key_points"] if k["id"] == "complexity")
        del point["challenge"]

    _edit_yaml(path, drop)
    with pytest.raises(ContentError) as error:
        load_content(content_copy)
    assert str(path) in str(error.value) and "'complexity'" in str(error.value)
    assert "no challenge" in str(error.value)


def test_every_key_point_has_a_hint_of_its_own_for_a_candidate_stuck_on_it(
    content: Content,
) -> None:
    """Stuck right after a point's follow-up, "a hint?" gets something about that point: its
    nudge, a step of the ladder about it, or a push-back that presumes no answer. Without one,
    the hint is about another part (said so, but no help with what they asked)."""
    from app.engine.gap import hint_for

    bare = []
    for question in content.questions.values():
        spec = content.rounds[question.round]
        others = [o for o in content.questions.values() if o.round == question.round]
        topic = bank_topic(question, spec, others=[o for o in others if o.id != question.id])
        for point in topic.key_points:
            ask = next((f.prompt for f in topic.follow_ups if f.key_point == point.id), None)
            given = [ask] if ask else []
            hint = hint_for(
                topic, point.id, given, [point.id], attempted=[], also_about=True, just_asked=ask
            )
            if hint is None:
                bare.append(f"{question.id}: {point.id}")
    assert not bare, "add a nudge to each of these key points:\n" + "\n".join(bare)


def test_a_wrong_version_that_says_a_comma_is_heard_in_its_own_words(content: Content) -> None:
    """A comma, a colon or a bracket a wrong version's phrase says is its own, as its words are:
    said as written ("no queue, the providers are fast"), the phrase is a claim."""
    from app.engine.assessor import assess

    unheard = []
    for question in content.questions.values():
        spec = content.rounds[question.round]
        topic = bank_topic(question, spec)
        for point in question.key_points:
            for phrase in (p for w in point.wrong for p in w.phrases if set(p) & set(",;:()")):
                said = assess(topic, spec, f"{phrase[0].upper()}{phrase[1:]}.")
                if not any(c.key_point == point.id for c in said.claims):
                    unheard.append(f"{question.id}:{point.id}: {phrase!r}")
    assert not unheard, "never heard as a claim:\n" + "\n".join(unheard)


def test_no_phrase_shrinks_to_one_everyday_word(content: Content) -> None:
    """Function words drop out when phrases are matched: a key point's or a wrong version's
    phrase left with one everyday word ("down from" became "down", "personalized" "person")
    would be heard in any sentence that says that word."""
    from app.engine.matching import phrase_tokens

    shrunk = []
    for question in content.questions.values():
        for point in question.key_points:
            wrong = (p for w in point.wrong for p in w.phrases)
            for phrase in (*point.phrases, *point.paraphrases, *wrong):
                words = phrase_tokens(phrase)
                if len(words) == 1 and words[0] in EVERYDAY:
                    shrunk.append(f"{question.id}:{point.id}: {phrase!r} is {words[0]!r}")
    assert not shrunk, "make these phrases say more:\n" + "\n".join(shrunk)


@pytest.mark.parametrize(
    ("title", "said"),
    [
        ("Requirements and estimates", "requirements and estimates"),
        ("API", "API"),
        ("LRU cache", "LRU cache"),
        ("Mixed-precision training (fp16, bf16)", "mixed-precision training (fp16, bf16)"),
        ("A/B testing", "A/B testing"),
    ],
)
def test_a_title_inside_a_sentence_keeps_its_acronyms(title: str, said: str) -> None:
    from app.content.prompts import mid_sentence

    assert mid_sentence(title) == said
