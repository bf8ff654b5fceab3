"""An answer to another question: a rehearsed story told to a behavioral question it does not
answer. The interviewer says so and asks again; the scorecard takes nothing from it."""

from __future__ import annotations

import pytest

from app.content.loader import Content
from app.content.models import RoundSpec, RoundType
from app.engine.assessment import Assessment
from app.engine.assessor import assess
from app.engine.director import Director
from app.engine.intent import Intent
from app.engine.matching import literal_pattern
from app.engine.reading import Reading, to_assessment
from app.engine.topics import Topic, bank_topic
from app.evaluation.simulate import interview, score
from app.voice.offline import OfflineVoice
from app.voice.scene import scene_for

OUTAGE = (
    "Sure. Two years ago our checkout service fell over during the holiday sale. I was the one "
    "on call, so I rolled the release back within ten minutes, ran the incident review the next "
    "morning and pushed for canary deploys. We cut the time to recover by about half."
)
GRADUATE = (
    "A graduate joined us last spring and was nervous about touching the billing code. I booked "
    "an hour with her every Thursday where she drove and I only asked questions."
)


def in_its_round(content: Content, question_id: str) -> tuple[Topic, RoundSpec]:
    """A question's topic as the service builds it: beside its round's other questions."""
    question = content.questions[question_id]
    spec = content.rounds[question.round]
    return bank_topic(question, spec, others=content.questions_for(question.round)), spec


def assessed(content: Content, question_id: str, text: str, earlier=()) -> Assessment:
    question = content.questions[question_id]
    spec = content.rounds[question.round]
    return assess(bank_topic(question, spec), spec, text, earlier=earlier)


def test_a_whole_story_about_something_else_answers_another_question(content: Content) -> None:
    a = assessed(content, "mentoring-a-colleague", OUTAGE)
    assert a.another_question
    assert a.has(Intent.off_topic) and not a.has(Intent.answer)
    # the same story where it is the answer: an outage is the hardest bug's kind of story
    assert not assessed(content, "hardest-bug", OUTAGE).another_question


def test_a_story_in_its_own_words_is_taken_as_the_answer(content: Content) -> None:
    """No "mentor", "coach" or "junior" in it: what it tells is still the question's."""
    assert not assessed(content, "mentoring-a-colleague", GRADUATE).another_question


def test_a_scene_being_set_is_not_yet_another_story(content: Content) -> None:
    scene = (
        "At my last job I was the tech lead on the payments team, and my task was to move our "
        "checkout service to a new payment provider."
    )
    assert not assessed(content, "ambiguous-problem", scene).another_question


def test_a_story_that_began_on_the_question_goes_on_without_its_words(
    content: Content,
) -> None:
    """What follows a mentoring story's start need not say "mentor" again."""
    later = assessed(content, "mentoring-a-colleague", OUTAGE, earlier=[GRADUATE])
    assert not later.another_question


def test_a_question_that_takes_any_story_never_calls_one_another(content: Content) -> None:
    assert not content.questions["project-retrospective"].theme
    assert not assessed(content, "project-retrospective", OUTAGE).another_question


def test_every_theme_phrase_can_match(content: Content) -> None:
    from app.engine.matching import phrase_tokens

    for question in content.questions_for(RoundType.behavioral):
        for phrase in question.theme:
            assert phrase_tokens(phrase), (question.id, phrase)


def test_the_interviewer_says_so_and_asks_the_question_again(content: Content) -> None:
    question = content.questions["critical-feedback"]
    spec = content.rounds[question.round]
    director = Director(spec=spec, topics=[bank_topic(question, spec)])
    state = director.start(budget_seconds=2400).state
    decision = director.decide(
        state=state,
        assessment=assess(director.topic_of(state), spec, OUTAGE),
        elapsed_seconds=120,
    )
    assert decision.move.kind.value == "redirect"
    assert decision.move.cause == "another_question"
    scene = scene_for(
        director=director,
        rubric=content.rubrics[question.round],
        decision=decision,
        history=[],
        role="Engineer",
        level="senior",
    )
    reply = OfflineVoice(content.prompts).compose(scene)
    assert question.prompt in reply
    assert "approach" not in reply  # a behavioral question asks for a time, not an approach


def test_the_scorecard_takes_nothing_from_another_story(content: Content) -> None:
    transcript = interview(content, "critical-feedback", [OUTAGE])
    result = score(content, transcript)
    quoted = [e.quote for c in result.criteria for e in c.evidence]
    assert not any("holiday sale" in q or "canary" in q or "recover" in q for q in quoted)
    assert result.recommendation in ("not_enough_evidence", "no_hire", "strong_no_hire")


def test_a_models_another_question_is_kept_unless_it_credits_a_key_point(
    content: Content,
) -> None:
    offline = assessed(content, "mentoring-a-colleague", GRADUATE)
    points = tuple(p.id for p in content.questions["mentoring-a-colleague"].key_points)
    sections = tuple(s.id for s in content.rounds[RoundType.behavioral].checklist)

    def read(**reading) -> Assessment:
        return to_assessment(
            Reading.model_validate({"intents": ["answer"], **reading}),
            message=GRADUATE,
            key_points=points,
            sections=sections,
            offline=offline,
        )

    assert read(another_question=True).another_question
    covered = {"id": points[0], "status": "covered", "quote": "I booked an hour with her"}
    assert not read(another_question=True, key_points=[covered]).another_question


@pytest.mark.parametrize(
    ("phrase", "text", "matches"),
    [
        ("she owns", "I handed her a small service to own", False),
        ("she owns", "now she owns the refund service", True),
        ("at the time", "at that time", False),
        ("at the time", "At the time we had no tests", True),
        ("in production", "our product", False),
        ("in production", "it only failed in production", True),
    ],
)
def test_a_phrase_of_one_word_among_function_words_is_matched_as_written(
    phrase: str, text: str, matches: bool
) -> None:
    pattern = literal_pattern(phrase)
    assert pattern is not None
    assert bool(pattern.search(text)) is matches


def test_other_phrases_are_not_literal() -> None:
    assert literal_pattern("o(n log n)") is None  # one token, but a complexity
    assert literal_pattern("min heap") is None  # two content words


def test_a_first_person_account_covers_the_action_once_a_story_is_under_way(
    content: Content,
) -> None:
    a = assessed(content, "mentoring-a-colleague", GRADUATE)
    told = a.status_of("action", section=True)
    assert told is not None and told.status == "covered"
    hike = "Honestly I spent the weekend hiking in the mountains and cooked dinner by the lake."
    alone = assessed(content, "mentoring-a-colleague", hike)
    action = alone.status_of("action", section=True)
    assert action is not None and action.status == "not_addressed"


def test_a_design_for_another_system_is_another_problem(content: Content) -> None:
    """The round's generic words (API, table, key-value store) do not make a URL shortener
    an answer to ride-hailing."""
    shortener = (
        "I'd start with the API: POST /shorten takes a long URL and returns a 7-character code, "
        "and GET /{code} redirects with a 301. For the data model, a table mapping code to long "
        "URL, user id and created_at, stored in a key-value store like DynamoDB."
    )
    assert assessed(content, "ride-hailing-dispatch", shortener).another_question
    assert not assessed(content, "url-shortener", shortener).another_question


def test_a_lesson_or_a_number_does_not_tie_another_story_to_the_question(
    content: Content,
) -> None:
    """Every behavioral question has a reflection point that "I learned" names, and a result
    point that "shipped" names: those words say a story has a lesson or a result, not what it
    is about."""
    intern = (
        "When an intern joined our team last summer, she was shy and stuck on her first task for "
        "a week. I set up daily fifteen-minute check-ins and gave her a small feature to own. By "
        "the end of the summer she had shipped three changes to production. I learned that a "
        "little structure early saves a lot of time later."
    )
    assert assessed(content, "technical-disagreement", intern).another_question
    assert not assessed(content, "mentoring-a-colleague", intern).another_question


def test_a_project_of_the_candidates_own_choosing_is_never_another_question(
    content: Content,
) -> None:
    opening = (
        "We worked on detecting defects in photos of circuit boards. Existing detectors needed "
        "thousands of labelled defects per factory, which nobody has, so we looked at learning "
        "from a handful of examples."
    )
    for question_id in ("research-deep-dive", "explain-to-non-expert"):
        assert not assessed(content, question_id, opening).another_question, question_id


def test_one_word_of_the_statement_does_not_tie_another_design_to_the_question(
    content: Content,
) -> None:
    feed = (
        "I'd treat this as a ranking problem for the home feed. For each user we fetch a few "
        "thousand candidate stories from friends with an embedding lookup, score them with a "
        "two-tower model for the chance of a like or share and show the top fifty. I'd judge it "
        "with NDCG on the next day's sessions and an A/B test on daily active users."
    )
    assert assessed(content, "p2p-payment-fraud", feed).another_question
    # a word of the title is what the question is about, however plain the rest
    plain = (
        "For new videos I'd mix in some that are recent so they get a chance. I'd evaluate the "
        "model on past data first and then try it on real users."
    )
    assert not assessed(content, "video-recommendations", plain).another_question


def test_a_story_whose_scene_was_set_goes_on_without_the_themes_words(
    content: Content,
) -> None:
    """A scene that names nothing of the theme, taken up by the interviewer, starts the story:
    what follows is its next part, never another question's (it was redirected twice)."""
    scene = "Last spring a colleague and I kept disagreeing about who owned the weekly report."
    assert assessed(content, "mentoring-a-colleague", OUTAGE).another_question
    later = assessed(content, "mentoring-a-colleague", OUTAGE, earlier=[scene])
    assert not later.another_question


def test_one_point_of_another_question_in_three_of_its_words_answers_that_question(
    content: Content,
) -> None:
    topic, spec = in_its_round(content, "language-models")
    forest = (
        "Random forests train many trees on bootstrap samples and average them, and each split "
        "looks at a random subset of features so the trees are less correlated."
    )
    assert assess(topic, spec, forest).another_question
    # one of its words alone is no answer to it
    assert not assess(topic, spec, "We could average a few models, like bagging.").another_question


def test_a_subject_of_the_candidates_choosing_is_never_a_sibling_questions_answer(
    content: Content,
) -> None:
    # the object-detection question's words (focal loss, anchors, small objects), told as the
    # idea the candidate was sure would work
    text = (
        "I was convinced focal loss would fix our detector's recall on small objects, because "
        "the small boxes are rare and it looked like an imbalance between easy background "
        "anchors and hard small ones."
    )
    assert not assessed(content, "defend-negative-result", text).another_question


def test_the_questions_own_scenario_told_with_another_subject_is_its_answer(
    content: Content,
) -> None:
    """A paper that did not reproduce, told from experience, is on some subject another
    question asks about (contrastive learning): the paper and its missing points make it this
    question's answer, and the other subject the example."""
    topic, spec = in_its_round(content, "paper-does-not-reproduce")
    story = (
        "This happened to me with a contrastive learning paper: we came out four points below "
        "their ImageNet linear probe number."
    )
    assert not assess(topic, spec, story).another_question
    # the other question's subject alone, with none of this scenario's words, stays another
    # question's answer
    lone = (
        "Contrastive learning pulls two augmented views of an image together and pushes other "
        "images apart, and you judge the features with a linear probe on ImageNet."
    )
    assert assess(topic, spec, lone).another_question


def test_a_correction_of_the_answer_before_is_under_way(content: Content) -> None:
    """"I said ..., but ..." takes up the candidate's own answer on this question, whatever
    words it used; the correction of another problem's answer stays another problem's."""
    own = (
        "Each phone keeps one long-lived socket to an edge box, and a lookup table in memory "
        "tells us which edge box every user sits on, so the sender's box hands the message to "
        "the receiver's."
    )
    correction = "Hmm, I said the edge box hands it straight over, but it should be written first."
    later = assessed(content, "chat-system", correction, earlier=[own])
    assert not later.another_question
    shortener = (
        "POST /shorten takes a long URL and returns a 7-character code in base62, and GET /code "
        "redirects with a 301."
    )
    fixed = "Hmm, I said a 7-character code, but 8 characters gives more headroom for the codes."
    assert assessed(content, "chat-system", fixed, earlier=[shortener]).another_question


@pytest.mark.parametrize(
    ("question_id", "text", "another"),
    [
        # another problem's words
        ("two-sum", "sort the intervals by start and merge the overlapping ones as you go", True),
        # no problem's words: vague, not another question's answer
        (
            "top-k-frequent",
            "It's an interesting one and there are many ways to approach it depending on what "
            "the business needs.",
            False,
        ),
    ],
)
def test_another_problem_is_told_by_its_words_not_by_vagueness(
    content: Content, question_id: str, text: str, another: bool
) -> None:
    topic, spec = in_its_round(content, question_id)
    assert assess(topic, spec, text).another_question is another
