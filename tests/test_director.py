"""The director alone: pure decisions from state, message and elapsed time."""

from __future__ import annotations

import pytest

from app.content.loader import Content
from app.content.models import (
    ChecklistSection,
    DeepDive,
    FollowUp,
    HintStep,
    KeyPoint,
    Question,
    RoundSpec,
    RoundType,
)
from app.engine.assessor import assess
from app.engine.director import Director
from app.engine.moves import CodeOutcome, Decision, Move, MoveKind
from app.engine.state import InterviewState
from app.engine.topics import bank_topic, custom_topic

STAR = (
    ChecklistSection(
        id="situation",
        name="Situation",
        criterion="context",
        phrases=("at my previous", "the context"),
        probes=("Set the scene?",),
    ),
    ChecklistSection(
        id="result",
        name="Result",
        criterion="result",
        phrases=("as a result", "the outcome"),
        probes=("What was the outcome?",),
    ),
)


def spec(**overrides) -> RoundSpec:
    values = dict(
        id="ml_theory",
        title="ML theory",
        description="Concepts.",
        duration_minutes=45,
        questions_per_interview=2,
        follow_ups_per_question=2,
    )
    values.update(overrides)
    return RoundSpec(**values)


def question(qid: str = "xent", round_: str = "ml_theory") -> Question:
    return Question(
        id=qid,
        round=round_,
        title="Cross-entropy",
        difficulty="medium",
        tags=("cross-entropy",),
        prompt="Why do we train classifiers with cross-entropy loss?",
        key_points=(
            KeyPoint(
                id="mle",
                text="It is the negative log-likelihood.",
                weight=3,
                phrases=("maximum likelihood", "log likelihood"),
                criterion="depth",
            ),
            KeyPoint(
                id="kl",
                text="Minimising it minimises KL divergence.",
                weight=2,
                phrases=("kl divergence",),
                criterion="depth",
            ),
            KeyPoint(
                id="grad",
                text="Softmax + CE gives gradient p - y.",
                weight=1,
                phrases=("p minus y", "gradient is p - y"),
                criterion="math",
            ),
        ),
        follow_ups=(
            FollowUp(key_point="mle", prompt="How does it relate to likelihood?"),
            FollowUp(key_point="kl", prompt="And to information theory?"),
            FollowUp(key_point="grad", prompt="What is its gradient with softmax?"),
        ),
        hints=("Think probabilistically.", "Consider the likelihood.", "Take the log of it."),
        model_answer=("NLL of a categorical.", "KL to the data distribution."),
    )


@pytest.fixture
def director() -> Director:
    s = spec()
    return Director(spec=s, topics=[bank_topic(question("q1"), s), bank_topic(question("q2"), s)])


def decide(
    director: Director,
    *,
    state: InterviewState,
    text: str,
    elapsed_seconds: float,
    code: CodeOutcome | None = None,
) -> Decision:
    """The director's decision on the offline assessment of the message (as the service does)."""
    assessment = assess(director.topic_of(state), director.spec, text)
    return director.decide(
        state=state, assessment=assessment, elapsed_seconds=elapsed_seconds, code=code
    )


def opened(director: Director, budget: int = 2700) -> InterviewState:
    return director.start(budget_seconds=budget).state


def played(director: Director, texts: list[str]) -> list[Move]:
    """The director's moves on a script of answers, two minutes apart, from the opening."""
    state = opened(director)
    moves = []
    for minute, text in enumerate(texts, start=1):
        decision = decide(director, state=state, text=text, elapsed_seconds=120 * minute)
        state = decision.state
        moves.append(decision.move)
    return moves


def test_start_opens_with_the_first_question(director: Director) -> None:
    decision = director.start(budget_seconds=2700)
    assert decision.move.kind is MoveKind.open
    assert decision.move.topic_id == "q1"
    assert decision.state.plan == ["q1", "q2"]
    assert decision.state.phase == "question"


def test_follow_up_targets_the_heaviest_uncovered_key_point(director: Director) -> None:
    state = opened(director)
    decision = decide(
        director,
        state=state,
        text="Cross-entropy compares the predicted "
        "probabilities with the labels and penalises confident mistakes.",
        elapsed_seconds=60,
    )
    assert decision.move.kind is MoveKind.follow_up
    assert decision.move.target_id == "mle"
    assert decision.move.text == "How does it relate to likelihood?"
    assert not decision.move.acknowledged


def test_a_covered_point_is_not_followed_up(director: Director) -> None:
    state = opened(director)
    decision = decide(
        director,
        state=state,
        text="Minimising cross-entropy is maximum likelihood estimation for a categorical model.",
        elapsed_seconds=60,
    )
    assert decision.state.current.covered == ["mle"]
    assert decision.move.kind is MoveKind.follow_up
    assert decision.move.target_id == "kl"
    assert decision.move.acknowledged


def test_the_director_does_not_mutate_its_input(director: Director) -> None:
    state = opened(director)
    before = state.model_dump()
    decide(director, state=state, text="It is maximum likelihood.", elapsed_seconds=5)
    assert state.model_dump() == before


def test_hints_climb_the_ladder_and_run_out(director: Director) -> None:
    state = opened(director)
    texts = []
    for _ in range(3):
        decision = decide(director, state=state, text="Can I get a hint?", elapsed_seconds=30)
        assert decision.move.kind is MoveKind.hint
        texts.append(decision.move.text)
        state = decision.state
    assert texts == ["Think probabilistically.", "Consider the likelihood.", "Take the log of it."]
    assert state.hints_used == 3
    decision = decide(director, state=state, text="hint please", elapsed_seconds=40)
    assert decision.move.kind is MoveKind.no_more_hints
    assert decision.state.hints_used == 3


def test_skip_moves_to_the_next_question(director: Director) -> None:
    state = opened(director)
    decision = decide(director, state=state, text="Next question please", elapsed_seconds=30)
    assert decision.move.kind is MoveKind.next_question
    assert decision.move.topic_id == "q2"
    assert decision.move.cause == "skipped"
    assert decision.state.progress[0].outcome == "skipped"
    assert decision.state.current.started_turn == 1


def test_full_coverage_moves_on_then_wraps_up_then_closes(director: Director) -> None:
    full = (
        "It is maximum likelihood; minimising it minimises the KL divergence; "
        "with softmax the gradient is p - y."
    )
    state = opened(director)
    first = decide(director, state=state, text=full, elapsed_seconds=300)
    assert first.move.kind is MoveKind.next_question
    assert first.move.cause == "covered"
    second = decide(director, state=first.state, text=full, elapsed_seconds=600)
    assert second.move.kind is MoveKind.wrap_up
    assert second.state.phase == "candidate_questions"
    question = decide(
        director, state=second.state, text="What does the team work on?", elapsed_seconds=700
    )
    assert question.move.kind is MoveKind.answer_question
    assert question.move.cause == "closing"
    assert question.state.phase == "candidate_questions"
    third = decide(
        director, state=question.state, text="No, that's all from me.", elapsed_seconds=720
    )
    assert third.move.kind is MoveKind.close
    assert third.state.phase == "closed"
    again = decide(director, state=third.state, text="Thanks!", elapsed_seconds=710)
    assert again.move.kind is MoveKind.close
    assert again.move.cause == "already_closed"


def test_running_out_of_time_wraps_up(director: Director) -> None:
    state = opened(director, budget=600)
    decision = decide(director, state=state, text="It is maximum likelihood.", elapsed_seconds=601)
    assert decision.move.kind is MoveKind.wrap_up
    assert decision.move.cause == "time"


def test_time_is_called_once_past_three_quarters() -> None:
    s = spec()
    director = Director(spec=s, topics=[bank_topic(question("q1"), s)])
    state = opened(director, budget=1000)
    early = decide(
        director,
        state=state,
        text="Cross-entropy measures surprise of labels.",
        elapsed_seconds=100,
    )
    assert early.move.minutes_left is None
    late = decide(
        director, state=early.state, text="It relates to the KL divergence.", elapsed_seconds=800
    )
    assert late.move.minutes_left == 3
    later = decide(
        director,
        state=late.state,
        text="I am not sure about the gradient at all but cross-entropy is smooth",
        elapsed_seconds=850,
    )
    assert later.move.minutes_left is None


def test_no_new_question_is_started_without_time_for_it(director: Director) -> None:
    state = opened(director, budget=1000)
    decision = decide(director, state=state, text="skip", elapsed_seconds=900)
    assert decision.move.kind is MoveKind.wrap_up
    assert decision.move.cause == "time"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("I don't know", "dont_know"),
        ("ok", "too_short"),
        ("asdf qwrtzp xkcdvbnm lkjhgf", "gibberish"),
    ],
)
def test_unusable_answers_are_met_with_encouragement(
    director: Director, text: str, reason: str
) -> None:
    decision = decide(director, state=opened(director), text=text, elapsed_seconds=30)
    assert decision.move.kind is MoveKind.encourage
    assert decision.move.cause == reason
    assert decision.move.reason  # every move says why, for people


def test_three_unusable_answers_move_on(director: Director) -> None:
    state = opened(director)
    kinds = []
    for _ in range(3):
        decision = decide(director, state=state, text="I don't know", elapsed_seconds=30)
        kinds.append(decision.move.kind)
        state = decision.state
    assert kinds == [MoveKind.encourage, MoveKind.encourage, MoveKind.next_question]
    assert state.progress[0].outcome == "stuck"


def test_pacing_follows_the_clock_not_a_follow_up_count() -> None:
    # follow_ups_per_question is no longer a cap: the question runs for its share of the time
    s = spec(follow_ups_per_question=1)
    director = Director(
        spec=s, topics=[bank_topic(question("q1"), s), bank_topic(question("q2"), s)]
    )
    state = opened(director, budget=2700)
    first = decide(
        director,
        state=state,
        text="Cross-entropy penalises wrong confident predictions of the classifier.",
        elapsed_seconds=120,
    )
    assert first.move.kind is MoveKind.follow_up
    second = decide(
        director,
        state=first.state,
        text="The classifier probabilities are compared with the labels.",
        elapsed_seconds=240,
    )
    assert second.move.kind is MoveKind.follow_up
    assert second.move.target_id not in first.state.current.probed
    late = decide(
        director,
        state=second.state,
        # the question's own words: this helper reads the message alone, without the earlier
        # ones that in the service show the answer is under way
        text="Cross-entropy pushes the classifier's probabilities towards the labels.",
        elapsed_seconds=1400,
    )
    assert late.move.kind is MoveKind.next_question
    assert late.move.cause == "time"
    assert late.state.progress[0].outcome == "time"


def test_an_open_detail_invites_an_assumption_and_a_repeat_request_restates(
    director: Director,
) -> None:
    decision = decide(
        director, state=opened(director), text="Can I assume binary labels?", elapsed_seconds=10
    )
    assert decision.move.kind is MoveKind.clarify
    assert decision.move.cause == "open" and decision.move.text is None
    text = "Sorry, could you repeat the question? I missed the part after the loss."
    decision = decide(director, state=opened(director), text=text, elapsed_seconds=10)
    assert decision.move.kind is MoveKind.clarify
    assert decision.move.cause == "repeat" and decision.move.text == question().prompt


def test_star_round_probes_missing_parts_first() -> None:
    s = spec(id="behavioral", checklist=STAR, checklist_first=True)
    director = Director(spec=s, topics=[bank_topic(question("b1", "behavioral"), s)])
    decision = decide(
        director,
        state=opened(director),
        text="At my previous job the context "
        "was a cross-entropy training pipeline that kept diverging.",
        elapsed_seconds=60,
    )
    assert decision.move.kind is MoveKind.probe
    assert decision.move.target_id == "result"
    assert decision.move.text == "What was the outcome?"


def test_custom_questions_are_steered_by_the_checklist() -> None:
    s = spec(id="behavioral", checklist=STAR)
    topic = custom_topic("Tell me about a time you changed your mind.", s)
    director = Director(spec=s, topics=[topic])
    state = opened(director)
    decision = decide(
        director,
        state=state,
        text="The outcome was that I changed my mind about the design.",
        elapsed_seconds=60,
    )
    assert decision.move.kind is MoveKind.probe
    assert decision.move.target_id == "situation"
    hint = decide(director, state=decision.state, text="Can I have a hint?", elapsed_seconds=70)
    assert hint.move.kind is MoveKind.hint
    assert hint.move.text is None
    assert hint.move.target_id == "situation"


def test_candidate_can_end_early(director: Director) -> None:
    decision = decide(
        director, state=opened(director), text="Let's wrap up the interview", elapsed_seconds=60
    )
    assert decision.move.kind is MoveKind.wrap_up
    assert decision.move.cause == "candidate"


def test_checklist_first_rounds_alternate_parts_and_points() -> None:
    s = spec(id="behavioral", checklist=STAR, checklist_first=True, follow_ups_per_question=4)
    director = Director(spec=s, topics=[bank_topic(question("b1", "behavioral"), s)])
    state = opened(director)
    targets = []
    vague = "The classifier was trained on labels."
    # the third answer adds something new, so the question is not left as going nowhere
    for text in (vague, vague, "With a softmax the gradient is p - y.", vague):
        decision = decide(director, state=state, text=text, elapsed_seconds=60)
        targets.append(decision.move.target_id)
        state = decision.state
    assert targets == ["situation", "mle", "result", "kl"]


def test_repeating_the_question_is_not_evidence() -> None:
    s = spec()
    q = question("q1")
    echoing = q.model_copy(update={"prompt": q.prompt + " Relate it to maximum likelihood."})
    director = Director(spec=s, topics=[bank_topic(echoing, s)])
    state = opened(director)
    decision = decide(director, state=state, text=echoing.prompt, elapsed_seconds=10)
    assert decision.state.current.covered == []
    own_words = decide(
        director, state=state, text="The log likelihood of the labels.", elapsed_seconds=10
    )
    assert own_words.state.current.covered == ["mle"]


def _outcome(status: str, **fields) -> CodeOutcome:
    values = dict(status=status, passed=2, total=6, hidden_passed=0, hidden_total=4)
    values.update(fields)
    return CodeOutcome(**values)


SUBMISSION = "Submitted code:\n\n```python\ndef f(xs):\n    return sorted(xs)\n```"


def test_a_failing_submission_is_answered_about_the_failure_not_followed_up(
    director: Director,
) -> None:
    state = opened(director)
    failing = _outcome("failed", failing_input="f([2, 1])", expected="[1, 2]", actual="[2, 1]")
    decision = decide(director, state=state, text=SUBMISSION, elapsed_seconds=60, code=failing)
    assert decision.move.kind is MoveKind.code_result
    assert decision.move.code == failing
    assert decision.state.current.submissions == 1
    assert not decision.state.current.solved
    # reacting to code spends none of the question's follow-ups and does not move on
    assert decision.state.current.probed == [] and decision.state.index == 0


def test_a_passing_submission_goes_on_to_the_next_gap(director: Director) -> None:
    state = opened(director)
    passed = _outcome("passed", passed=6, hidden_passed=4)
    decision = decide(director, state=state, text=SUBMISSION, elapsed_seconds=60, code=passed)
    assert decision.move.kind is MoveKind.follow_up
    assert decision.move.target_id == "mle"
    assert decision.move.code == passed
    assert decision.state.current.solved


def test_a_passing_submission_with_nothing_left_moves_to_the_next_question(
    director: Director,
) -> None:
    state = opened(director)
    text = SUBMISSION + "\nIt is the maximum likelihood; it minimises the kl divergence; p minus y."
    passed = _outcome("passed", passed=6, hidden_passed=4)
    decision = decide(director, state=state, text=text, elapsed_seconds=60, code=passed)
    assert decision.move.kind is MoveKind.next_question
    assert decision.move.code == passed
    assert decision.state.index == 1


def test_a_submission_after_time_is_up_wraps_up(director: Director) -> None:
    state = opened(director, budget=600)
    decision = decide(
        director, state=state, text=SUBMISSION, elapsed_seconds=700, code=_outcome("time_limit")
    )
    assert decision.move.kind is MoveKind.wrap_up
    assert decision.move.code is not None


def test_code_after_the_questions_is_not_treated_as_a_submission(director: Director) -> None:
    state = opened(director)
    state.phase = "candidate_questions"
    decision = decide(
        director, state=state, text=SUBMISSION, elapsed_seconds=60, code=_outcome("failed")
    )
    assert decision.move.kind is MoveKind.close


def test_the_behavioral_round_hears_a_situation_set_at_my_last_job(content: Content) -> None:
    # the real checklist: "at my last job …" sets the scene, so the probe asks for another part
    spec_ = content.rounds[RoundType.behavioral]
    topic = bank_topic(content.questions_for(RoundType.behavioral)[0], spec_)
    director = Director(spec=spec_, topics=[topic])
    decision = decide(
        director,
        state=opened(director),
        text="At my last job our billing database could not keep up with the load.",
        elapsed_seconds=60,
    )
    assert decision.move.kind is MoveKind.probe
    assert decision.move.target_id != "situation"


# --- the exchanges of issue 14, on the real question bank ------------------------------------


def real(content: Content, question_id: str) -> Director:
    question = content.questions[question_id]
    spec_ = content.rounds[question.round]
    return Director(spec=spec_, topics=[bank_topic(question, spec_)])


def test_the_task_is_not_asked_for_after_the_candidate_said_what_they_owned(
    content: Content,
) -> None:
    director = real(content, "ambiguous-problem")
    decision = decide(
        director,
        state=opened(director, budget=2400),
        text=(
            "Two years ago we were moving a payments service off a legacy processor. I was the "
            "tech lead on that migration and I owned the launch from the first plan to go-live."
        ),
        elapsed_seconds=90,
    )
    # told through (a situation, what they owned, the launch) with nothing yet of a vague goal,
    # it reads as another question's story: the interviewer asks where the vagueness was, and
    # never for the task they just named
    assert decision.move.kind.value == "redirect" and decision.move.cause == "another_question"
    assert decision.move.target_id not in {"situation", "task"}
    task = next(s for s in director.spec.checklist if s.id == "task")
    assert decision.move.text not in task.probes


def test_the_scene_is_not_asked_for_once_it_is_set(content: Content) -> None:
    director = real(content, "ambiguous-problem")
    decision = decide(
        director,
        state=opened(director, budget=2400),
        text="Back when I worked at a logistics firm, the route planner crashed every Monday.",
        elapsed_seconds=60,
    )
    assert "situation" in decision.state.current.sections
    assert decision.move.target_id != "situation"


def test_a_paragraph_on_streaming_and_batch_features_covers_feature_engineering(
    content: Content,
) -> None:
    director = real(content, "fraud-feature-store")
    text = (
        "Features come in two flavours. Streaming features, such as how often a card was used "
        "in the last ten minutes or how much a device spent today, are kept fresh by a Flink job "
        "reading the payment events. Batch features, such as a merchant's dispute rate over "
        "ninety days, are rebuilt every night in the warehouse and copied into the same store."
    )
    decision = decide(director, state=opened(director), text=text, elapsed_seconds=240)
    assert "features" in decision.state.current.sections
    assert decision.move.target_id != "features"


def test_a_negated_mention_covers_nothing_and_is_not_acknowledged(content: Content) -> None:
    director = real(content, "top-k-frequent")
    decision = decide(
        director,
        state=opened(director),
        text="I'm not using a heap; I'd count with a dictionary and then sort the pairs by count.",
        elapsed_seconds=120,
    )
    assert "size-k-heap" not in decision.state.current.covered
    assert "count" in decision.state.current.covered
    assert decision.move.target_id == "size-k-heap"  # the heaviest point still open


def test_linear_time_for_a_double_loop_is_challenged_not_accepted(content: Content) -> None:
    director = real(content, "two-sum")
    text = (
        "For every element I walk through the remaining ones to find its partner, and return "
        "both indices when they add up. This is O(n) because we go through the array."
    )
    decision = decide(director, state=opened(director), text=text, elapsed_seconds=180)
    assert decision.move.kind is MoveKind.challenge
    assert decision.move.target_id == "complexity"
    assert not decision.move.acknowledged
    assert "complexity" not in decision.state.current.covered
    assert decision.move.reason and "O(n)" in (decision.move.said or "")


def test_moving_the_taller_line_is_challenged_with_the_point_s_push_back(
    content: Content,
) -> None:
    director = real(content, "container-with-most-water")
    decision = decide(
        director,
        state=opened(director),
        text="I'd put a pointer at each end and I guess you'd move the taller one inward.",
        elapsed_seconds=200,
    )
    point = next(k for k in director.topics[0].key_points if k.id == "two-pointer-ends")
    assert decision.move.kind is MoveKind.challenge
    assert decision.move.text == point.challenge
    assert not decision.move.acknowledged
    # the same claim is challenged once; the next answer is taken on its merits
    again = decide(
        director,
        state=decision.state,
        text="Hmm, I still think the taller one should move inward.",
        elapsed_seconds=260,
    )
    assert again.move.kind is not MoveKind.challenge


def test_a_wrong_approach_given_up_without_a_new_one_gets_the_point_s_follow_up(
    content: Content,
) -> None:
    """"ok greedy fails" after the push-back: asked the question that leads to the right
    approach; an answer that fixes it with another point is not asked it."""
    director = real(content, "longest-increasing-subsequence")
    greedy = "I'd go left to right and keep a number if it's bigger than the last one I kept."
    challenged = decide(director, state=opened(director), text=greedy, elapsed_seconds=120)
    assert challenged.move.kind is MoveKind.challenge
    assert challenged.move.target_id == "quadratic-dp"
    conceded = decide(
        director,
        state=challenged.state.model_copy(deep=True),
        text="On that example I keep 3 then 4, so 2, but 1, 2, 4 is 3. Ok, greedy fails.",
        elapsed_seconds=200,
    )
    assert conceded.move.kind is MoveKind.follow_up
    assert conceded.move.target_id == "quadratic-dp"
    assert "approach" not in conceded.state.current.sections  # "greedy" given up proposes nothing
    fixed = decide(
        director,
        state=challenged.state.model_copy(deep=True),
        text="Right, so keep for each length the smallest tail and binary search where each "
        "number goes; the length of the tails list is the answer.",
        elapsed_seconds=200,
    )
    assert fixed.move.target_id != "quadratic-dp"


@pytest.mark.parametrize(
    "text",
    [
        "Maybe an empty list? Or a coin that is larger than the whole amount. I'm not sure what "
        "else would break it. Can I get a hint?",
        "I don't know, sorry. Hint please?",
    ],
)
def test_a_hint_request_inside_a_longer_message_gets_a_hint(content: Content, text: str) -> None:
    director = real(content, "coin-change")
    decision = decide(director, state=opened(director), text=text, elapsed_seconds=120)
    assert decision.move.kind is MoveKind.hint
    assert decision.move.hint_level == 1
    assert decision.move.text == director.topics[0].hints[0]


def test_what_is_covered_beside_a_hint_request_is_never_asked_about(content: Content) -> None:
    director = real(content, "coin-change")
    hinted = decide(
        director,
        state=opened(director),
        text=(
            "I'd fill a table for every amount up to the target, where each entry is one coin "
            "plus the best answer for what remains. I'm stuck on amounts nobody can make though. "
            "Could you give me a small hint?"
        ),
        elapsed_seconds=150,
    )
    assert hinted.move.kind is MoveKind.hint
    assert "recurrence" in hinted.state.current.covered
    state = hinted.state
    asked = []
    for minute in range(4, 12):
        step = decide(
            director,
            state=state,
            text="Fair enough; I'd think about the coins and the table a bit more here.",
            elapsed_seconds=60 * minute,
        )
        asked.append(step.move.target_id)
        state = step.state
    assert "recurrence" not in asked


def test_a_bulleted_list_of_terms_is_asked_to_be_explained(content: Content) -> None:
    director = real(content, "cross-entropy-justification")
    text = "- maximum likelihood\n- KL divergence\n- p minus y\n- convexity\n- label smoothing"
    decision = decide(director, state=opened(director), text=text, elapsed_seconds=60)
    assert decision.move.kind is MoveKind.encourage
    assert decision.move.cause == "keyword_list"
    assert decision.state.current.covered == []


def test_off_topic_talk_is_redirected_explicitly(content: Content) -> None:
    director = real(content, "two-sum")
    decision = decide(
        director,
        state=opened(director),
        text="We went hiking at the weekend and the weather up on the ridge was lovely.",
        elapsed_seconds=60,
    )
    assert decision.move.kind is MoveKind.redirect
    assert decision.move.cause == "off_topic"


def test_small_talk_put_as_a_question_is_redirected_a_question_about_the_job_answered(
    content: Content,
) -> None:
    director = real(content, "url-shortener")
    chat = "Did you watch the match last night by the way? Anyway, do you follow football?"
    decision = decide(director, state=opened(director), text=chat, elapsed_seconds=60)
    assert decision.move.kind is MoveKind.redirect
    assert decision.move.cause == "off_topic"
    job = "Before I start, how does your team handle on-call?"
    decision = decide(director, state=opened(director), text=job, elapsed_seconds=60)
    assert decision.move.kind is MoveKind.answer_question


def test_a_wrong_version_is_challenged_with_its_point_s_own_push_back(
    content: Content,
) -> None:
    director = real(content, "search-ranking")
    text = "I'd keep it simple and just maximise clicks, a click means the shopper liked it."
    decision = decide(director, state=opened(director), text=text, elapsed_seconds=120)
    point = next(k for k in director.topics[0].key_points if k.id == "objective")
    follow_up = next(f.prompt for f in director.topics[0].follow_ups if f.key_point == "objective")
    assert decision.move.kind is MoveKind.challenge
    assert decision.move.target_id == "objective"
    assert decision.move.text == point.challenge and point.challenge != follow_up


def test_a_point_that_was_challenged_is_not_asked_about_again(content: Content) -> None:
    director = real(content, "coin-change")
    wrong = (
        "Sort the coins and keep taking the biggest one that fits. Taking the largest coin "
        "first is optimal because a big coin replaces several small ones."
    )
    challenged = decide(director, state=opened(director), text=wrong, elapsed_seconds=120)
    assert challenged.move.kind is MoveKind.challenge
    assert challenged.move.target_id == "greedy-fails"
    fixed = (
        "With coins one, three and four and amount six I'd get three coins, but two threes "
        "do it in two. So I'd fill a table of fewest coins for every amount up to the target."
    )
    after = decide(director, state=challenged.state, text=fixed, elapsed_seconds=240)
    assert after.move.kind is not MoveKind.challenge
    assert after.move.target_id != "greedy-fails"


@pytest.mark.parametrize(
    ("question_id", "text", "answer"),
    [
        ("url-shortener", "Before I sketch anything: do links ever expire?", "expiry"),
        ("coin-change", "Quick check, can I use the same coin as many times as I like?", "any"),
        ("rag-assistant", "Do different teams have access to different documents?", "allowed"),
    ],
)
def test_design_and_coding_questions_answer_clarifying_questions(
    content: Content, question_id: str, text: str, answer: str
) -> None:
    director = real(content, question_id)
    decision = decide(director, state=opened(director), text=text, elapsed_seconds=30)
    assert decision.move.kind is MoveKind.answer_question
    assert decision.move.cause == "assumption"
    assert answer in (decision.move.text or "")


def test_a_clarifying_question_is_answered_from_the_stated_assumptions(content: Content) -> None:
    director = real(content, "two-sum")
    decision = decide(
        director,
        state=opened(director),
        text="Before I start: could the list have the same number twice?",
        elapsed_seconds=30,
    )
    assert decision.move.kind is MoveKind.answer_question
    assert decision.move.cause == "assumption"
    assert "duplicates" in (decision.move.text or "")


# every key point of two-sum, plainly said
TWO_SUM_COMPLETE = (
    "The slow way is to test every pair, which is quadratic. Better: walk the list once and "
    "keep a dictionary from value to index. For each number I look up target minus that "
    "number before inserting the current one, so an element never pairs with itself. That "
    "is O(n) time and O(n) extra memory. Sorting with two pointers also works in "
    "O(n log n) but loses the original indices unless I keep them. I'd test an empty list, "
    "no valid pair, duplicates like [3, 3] and negative numbers."
)
# ... and the code that does it
TWO_SUM_WRITTEN = (
    TWO_SUM_COMPLETE
    + "\n\ndef two_sum(nums, target):\n    seen = {}\n    for i, x in enumerate(nums):\n"
    "        if target - x in seen:\n            return [seen[target - x], i]\n"
    "        seen[x] = i\n    return None\n"
)


def test_a_complete_answer_is_deepened_not_left(content: Content) -> None:
    director = real(content, "two-sum")
    decision = decide(director, state=opened(director), text=TWO_SUM_WRITTEN, elapsed_seconds=300)
    assert decision.move.kind is MoveKind.deepen
    assert decision.move.text == director.topics[0].deep_dives[0].ask
    assert decision.move.acknowledged
    assert decision.move.cause is None  # complete: the reply may say so


def test_a_complete_answer_without_code_is_asked_for_the_code_before_going_deeper(
    content: Content,
) -> None:
    """In a round that assesses code, every point said and no code written: the code is asked
    for once, before any deep dive; moving on after that is not asked again."""
    director = real(content, "two-sum")
    first = decide(director, state=opened(director), text=TWO_SUM_COMPLETE, elapsed_seconds=300)
    assert first.move.kind is MoveKind.probe
    assert first.move.target_id == "implementation"
    after = decide(director, state=first.state, text="i think that's it", elapsed_seconds=400)
    assert after.move.target_id != "implementation"


def test_a_deep_dive_after_open_points_were_asked_does_not_call_the_answer_complete(
    content: Content,
) -> None:
    """Every point left open was asked about and not answered: the extension comes, marked so
    the reply does not say the answer covers the key points."""
    director = real(content, "two-sum")
    topic = director.topics[0]
    text = TWO_SUM_COMPLETE.split(" Sorting with two pointers")[0]
    covered = decide(director, state=opened(director), text=text, elapsed_seconds=300).state
    missing = [p.id for p in topic.key_points if p.id not in covered.current.covered]
    assert missing
    state = opened(director)
    state.current.probed.extend(missing)  # asked before, and not answered
    state.current.probed.append("implementation")  # ... and so was the code
    decision = decide(director, state=state, text=text, elapsed_seconds=300)
    assert (decision.move.kind, decision.move.cause) == (MoveKind.deepen, "open_points")


def test_an_acknowledgement_names_what_was_just_said(content: Content) -> None:
    director = real(content, "two-sum")
    decision = decide(
        director,
        state=opened(director),
        text="I'd keep a hash map from each value to its index while I scan the list.",
        elapsed_seconds=120,
    )
    assert decision.move.acknowledged
    assert decision.move.ack and "hash map" in decision.move.ack.lower()


# A candidate in a 45-minute design round who answers every question about the part asked, in
# their own words, and never volunteers the next part.
DESIGN_ANSWERS = {
    "objective": "The goal is to stop fraud losses while keeping false declines rare.",
    "data_and_labels": "Labels come from chargebacks, which arrive weeks late, so they are noisy.",
    "sampling_and_splits": "I'd use a time based split so there is no leakage from the future.",
    "features": "Velocity features per card and merchant, plus user features from history.",
    "model_and_baseline": "A rules baseline first, then a gradient boosted tree model.",
    "offline_metrics": "Offline I'd look at precision and recall at a fixed decline rate.",
    "training_and_inference": "Retraining runs daily; online inference reads the feature store.",
    "online_evaluation": "Then an A/B test on a slice of traffic with guardrail metrics.",
    "scalability": "At 20k requests per second latency is the constraint, so I'd cache lookups.",
}
VAGUE = "I'd keep the card payments path simple and watch how the fraud scores behave."


def test_a_45_minute_design_round_reaches_every_section_before_it_wraps_up(
    content: Content,
) -> None:
    director = real(content, "fraud-feature-store")
    assert director.spec.duration_minutes == 45
    state = opened(director, budget=45 * 60)
    text, elapsed, moves = DESIGN_ANSWERS["objective"], 150.0, []
    while state.phase == "question" and elapsed < 45 * 60:
        decision = decide(director, state=state, text=text, elapsed_seconds=elapsed)
        state, move = decision.state, decision.move
        moves.append(move)
        text = DESIGN_ANSWERS.get(move.target_id or "", VAGUE)
        elapsed += 150
    assert moves[-1].kind is MoveKind.wrap_up
    assert set(state.current.sections) == set(DESIGN_ANSWERS)
    assert len(moves) > director.spec.follow_ups_per_question + 1
    assert all(m.reason for m in moves)
    probes = [m for m in moves if m.kind is MoveKind.probe]
    assert any("evaluation" in m.reason.lower() for m in probes)


def test_three_answers_that_add_nothing_move_the_interview_on(content: Content) -> None:
    director = real(content, "top-k-frequent")
    state = opened(director)
    kinds = []
    for minute in (2, 4, 6, 8):
        decision = decide(
            director,
            state=state,
            text="I'd count the values and keep the frequent ones around somehow.",
            elapsed_seconds=60 * minute,
        )
        kinds.append(decision.move.kind)
        state = decision.state
        if state.phase != "question":
            break
    assert kinds[-1] is MoveKind.wrap_up
    assert state.progress[0].outcome == "stale"
    assert len(kinds) == 3


def test_a_rhetorical_question_inside_an_answer_does_not_restate_the_question(
    content: Content,
) -> None:
    director = real(content, "coin-change")
    text = (
        "First, does taking the biggest coin always work? Not in general: with coins 1, 3 and 4 "
        "and amount 6 it uses three coins where two suffice, so I'd build a table of the "
        "fewest coins for every smaller amount."
    )
    decision = decide(director, state=opened(director), text=text, elapsed_seconds=120)
    assert decision.move.kind is not MoveKind.clarify
    assert "recurrence" in decision.state.current.covered


def test_a_hint_asked_once_everything_is_covered_says_so_instead_of_repeating_it(
    content: Content,
) -> None:
    """Every step of merge-intervals' ladder is about sorting or the merge rule: once both are
    said, a hint towards them is no help, so the interviewer says so and suggests tracing the
    case the candidate is unsure about."""
    director = real(content, "merge-intervals")
    state = opened(director, budget=2700)
    for text in (
        "I'd sort the intervals by start, then walk them keeping the last merged block: if the "
        "next one starts before or at its end I extend the end to the larger one, otherwise I "
        "start a new block. A contained interval is swallowed by the max. I take touching ones, "
        "[1,4] and [4,5], to count as overlapping.",
        "Sorting dominates: O(n log n) time, O(n) space for the output.",
        "Tests: an empty list, a single interval, a contained one and touching ones.",
    ):
        state = decide(director, state=state, text=text, elapsed_seconds=300).state
    assert set(state.current.covered) >= {p.id for p in director.topics[0].key_points}
    decision = decide(
        director, state=state, text="I'm unsure about duplicates, could you nudge me?",
        elapsed_seconds=400,
    )
    assert decision.move.kind.value == "hint" and decision.move.cause == "all_covered"
    assert decision.state.current.hints_used == state.current.hints_used  # costs no hint


def test_a_hint_never_hands_over_another_points_answer(content: Content) -> None:
    """news-feed's last ladder step is nearly the whole design; after the fan-out is described,
    a request about sizing gets a push on the numbers, not that step."""
    director = real(content, "news-feed")
    state = opened(director, budget=2700)
    for text in (
        "On post I'd push its id into each follower's feed list in Redis, fan-out on write.",
        "For celebrities I wouldn't fan out; readers pull their recent posts at read time and "
        "merge them in.",
    ):
        state = decide(director, state=state, text=text, elapsed_seconds=300).state
    decision = decide(
        director,
        state=state,
        text="I'm not sure how to size the Redis cluster, any pointers there?",
        elapsed_seconds=400,
    )
    assert decision.move.kind.value == "hint"
    assert decision.move.text not in director.topics[0].hints
    assert "numbers" in (decision.move.text or "")


def test_a_wrong_claim_held_after_its_challenge_is_answered_once_not_accepted(
    content: Content,
) -> None:
    director = real(content, "bias-variance-tradeoff")
    state = opened(director, budget=2700)
    claim = "If you're underfitting, more data reduces bias."
    first = decide(director, state=state, text=claim, elapsed_seconds=120)
    assert first.move.kind.value == "challenge"
    again = decide(
        director,
        state=first.state,
        text="No, I'm pretty sure more data reduces bias.",
        elapsed_seconds=240,
    )
    assert (again.move.kind.value, again.move.cause) == ("challenge", "insisted")
    third = decide(
        director,
        state=again.state,
        text="I still think more data reduces bias.",
        elapsed_seconds=360,
    )
    assert third.move.cause != "insisted"  # said once; the interview goes on
    assert "levers" not in third.state.current.covered


def test_a_hint_never_asks_again_the_follow_up_a_point_was_asked_before_its_challenge(
    content: Content,
) -> None:
    q = content.questions["virtual-memory"]
    s = content.rounds[q.round]
    director = Director(spec=s, topics=[bank_topic(q, s)])
    state = opened(director)
    said = [
        "Every process gets the illusion of its own big contiguous address range, and the "
        "hardware translates each address it uses into a real location in RAM through tables the "
        "kernel maintains, one chunk of a few kilobytes at a time. A small cache in the CPU "
        "remembers recent translations so most lookups are cheap.",
        "If a process touches a chunk that isn't in RAM at the moment, the CPU traps into the "
        "kernel, which loads it from disk and retries the instruction. That's not an error, the "
        "program never notices except for the delay.",
        "Swapping never slows anything down because the disk is only used when RAM is empty.",
        "I know fork is cheap because of some trick with the pages being shared, but where I'm "
        "fuzzy is what happens when the child writes to one of them, could you nudge me?",
    ]
    moves = []
    for text in said:
        decision = decide(director, state=state, text=text, elapsed_seconds=100)
        state = decision.state
        moves.append(decision.move)
    follow_up = next(f.prompt for f in q.follow_ups if f.key_point == "benefits-costs")
    assert moves[0].text == follow_up and moves[2].kind is MoveKind.challenge
    # the point asked about was followed up and challenged: the hint repeats neither; it is the
    # point's own nudge when it has one, else it says nothing is left instead of calling the
    # point covered
    hint = moves[3]
    assert hint.kind is MoveKind.hint and hint.text not in (follow_up, moves[2].text)
    nudge = next(p.nudge for p in q.key_points if p.id == "benefits-costs")
    assert hint.text == nudge if nudge else hint.cause == "all_asked"


@pytest.mark.parametrize(
    "question_id", ["conflict-with-colleague", "hardest-bug", "time-you-failed"]
)
def test_any_behavioral_question_says_whether_a_story_may_come_from_outside_work(
    content: Content, question_id: str
) -> None:
    director = real(content, question_id)
    decision = decide(
        director,
        state=opened(director),
        text="Does it have to be from work? Most of my experience is from a volunteer group I ran.",
        elapsed_seconds=30,
    )
    assert decision.move.kind is MoveKind.answer_question
    assert decision.move.cause == "assumption"
    assert "volunteering" in (decision.move.text or "")


def test_a_challenged_claim_is_corrected_only_by_the_answer_to_the_challenge(
    content: Content,
) -> None:
    director = real(content, "kd-tree")
    wrong = "It keeps its logarithmic query time whatever the number of dimensions."
    right = "No, in high dimensions almost every branch has to be visited, so it degrades."
    state = opened(director)
    challenged = decide(director, state=state, text=wrong, elapsed_seconds=30)
    assert challenged.move.kind is MoveKind.challenge
    put_right = decide(director, state=challenged.state, text=right, elapsed_seconds=60)
    assert put_right.state.current.corrected == ["dimensionality"]

    held = decide(
        director, state=challenged.state, text="It's a binary tree over points.", elapsed_seconds=60
    )
    later = decide(director, state=held.state, text=right, elapsed_seconds=90)
    assert later.state.current.corrected == [], "said later, not in answer to the challenge"


def test_a_deep_dive_the_candidate_already_answered_is_not_asked(content: Content) -> None:
    question = content.questions["two-sum"]
    dives = (
        DeepDive(ask="What if the list streamed past you once?", answered_by=("a dictionary",)),
        DeepDive(ask="How would you return every pair without repeats?"),
    )
    question = question.model_copy(update={"deep_dives": dives})
    spec_ = content.rounds[question.round]
    director = Director(spec=spec_, topics=[bank_topic(question, spec_)])
    decision = decide(director, state=opened(director), text=TWO_SUM_WRITTEN, elapsed_seconds=300)
    assert decision.move.kind is MoveKind.deepen
    assert decision.move.text == "How would you return every pair without repeats?"
    assert decision.state.progress[0].answered_dives == [0]


def test_a_deep_dive_may_be_written_as_a_bare_question() -> None:
    assert DeepDive.model_validate("Why?") == DeepDive(ask="Why?")


def test_a_section_the_question_skips_is_never_probed(content: Content) -> None:
    question = content.questions["llm-serving-system"]
    assert "data_and_labels" in question.skip_sections
    director = real(content, "llm-serving-system")
    state = opened(director)
    asked: list[str | None] = []
    answer = "I would start with the requirements and then we can look at the rest of it."
    for turn in range(1, 9):  # answers that cover nothing: the director probes its gaps
        decision = decide(director, state=state, text=answer, elapsed_seconds=60 * turn)
        state = decision.state
        if decision.move.kind in (MoveKind.probe, MoveKind.follow_up):
            asked.append(decision.move.target_id)
    sections = {s.id for s in director.spec.checklist}
    assert set(asked) & sections, asked  # the other sections are probed
    assert not set(asked) & set(question.skip_sections), asked


def _with_follow_ups(*follow_ups: FollowUp) -> Question:
    return question("q1").model_copy(update={"follow_ups": follow_ups})


def test_a_follow_up_that_builds_on_another_point_waits_until_that_point_is_covered() -> None:
    """"Which kind of heap are you using?" is not asked, nor given as a hint, before any heap."""
    from app.engine.gap import hint_for
    from app.engine.pacing import gaps
    from app.engine.state import QuestionProgress

    q = _with_follow_ups(
        FollowUp(key_point="mle", prompt="How does it relate to likelihood?"),
        FollowUp(key_point="kl", prompt="Why that divergence, then?", after="mle"),
    )
    s = spec()
    topic = bank_topic(q, s)
    progress = QuestionProgress(topic_id="q1", probed=["mle"])
    assert [g.target_id for g in gaps(s, progress, topic, pressed=False)] == []
    assert hint_for(topic, "kl", [], [], covered=[]) != "Why that divergence, then?"
    progress = QuestionProgress(topic_id="q1", probed=["mle"], covered=["mle"])
    assert [g.target_id for g in gaps(s, progress, topic, pressed=False)] == ["kl"]
    assert hint_for(topic, "kl", [], [], covered=["mle"]) == "Why that divergence, then?"


def test_a_hint_for_a_point_not_answered_yet_is_a_step_before_its_push_back() -> None:
    """Stuck on "how does it relate to likelihood?", a bare "hint?" gets the ladder's step about
    likelihood; the point's challenge ("what does accuracy say about it?") is a push-back on an
    answer, given first only once the candidate gave a version of the point."""
    from app.engine.gap import hint_for

    q = question("q1")
    mle = q.key_points[0].model_copy(update={"challenge": "What would accuracy say about it?"})
    q = q.model_copy(update={"key_points": (mle, *q.key_points[1:])})
    topic = bank_topic(q, spec())
    given, asked = ["How does it relate to likelihood?"], ["mle"]
    stuck = dict(attempted=[], also_about=True)
    assert hint_for(topic, "mle", given, asked, **stuck) == "Consider the likelihood."
    assert hint_for(topic, "mle", given, asked, attempted=["mle"]) == mle.challenge
    # with no step about it left, the push-back is better than nothing
    held = dict(held=["Consider the likelihood.", "Take the log of it."])
    assert hint_for(topic, "mle", given, asked, **held, **stuck) == mle.challenge


def test_a_push_back_that_presumes_the_candidate_s_version_is_no_hint_for_a_point_not_given() -> (
    None
):
    """Every step left is about what is covered but the last; the push towards its point that
    says "your heap" is not given to a candidate who never proposed one: the step instead."""
    from app.engine.gap import next_step

    q = question("q1")
    kl = q.key_points[1].model_copy(update={"challenge": "What does your heap cost per pop?"})
    hints = ("Consider the likelihood.", "Think about KL divergence to the data.")
    steps = tuple(HintStep(text=h) for h in hints)
    q = q.model_copy(update={"key_points": (q.key_points[0], kl, q.key_points[2]), "hints": steps})
    topic = bank_topic(q, spec())
    given = ["And to information theory?"]
    assert next_step(topic, given, ["mle"], ["kl"], attempted=["kl"]) == kl.challenge
    assert next_step(topic, given, ["mle"], ["kl"], attempted=[]) == hints[1]


def _stated(q: Question, *abouts: str | None) -> Question:
    """The question with its ladder's steps saying what each is about."""
    steps = tuple(HintStep(text=h.text, about=a) for h, a in zip(q.hints, abouts, strict=True))
    return Question.model_validate({**q.model_dump(), "hints": steps})


def test_a_step_s_stated_subject_wins_over_its_words() -> None:
    """"Consider the likelihood." is about mle by its words; stated about kl (or about no point),
    it is what the question says, and a step left as a string is still read from its words."""
    from app.engine.gap import subject_of

    q = question("q1")
    topic = bank_topic(q, spec())
    assert subject_of(topic, "Consider the likelihood.") == "mle"
    stated = bank_topic(_stated(q, None, "kl", None), spec())
    assert subject_of(stated, "Consider the likelihood.") == "kl"
    assert subject_of(stated, "Take the log of it.") is None
    untouched = Question.model_validate({**q.model_dump(), "hints": q.hints})
    assert subject_of(bank_topic(untouched, spec()), "Consider the likelihood.") == "mle"


def test_the_ladder_skips_a_step_stated_about_a_covered_point_and_keeps_one_it_only_mentions(
) -> None:
    from app.engine.gap import next_step

    q = _stated(question("q1"), "kl", "mle", "grad")
    topic = bank_topic(q, spec())
    # the first step's words are about no point, but it leads to kl: covered, it is skipped
    assert next_step(topic, [], ["kl"]) != "Think probabilistically."
    # "Consider the likelihood." says likelihood words, but leads to mle, still open: given
    assert next_step(topic, ["Think probabilistically."], ["kl"]) == "Consider the likelihood."


def test_a_step_stated_about_one_point_is_no_step_about_another_it_shares_words_with() -> None:
    """Stuck on a point, a step is given for it when it leads to it, not when its words merely
    share that point's words while the question says it leads elsewhere."""
    from app.engine.gap import hint_for

    q = question("q1")
    kl = q.key_points[1].model_copy(update={"nudge": None, "challenge": None})
    q = q.model_copy(update={"key_points": (q.key_points[0], kl, q.key_points[2])})
    hints = ("Think probabilistically.", "Relate KL divergence to likelihood.", "Take the log.")
    steps = tuple(HintStep(text=h) for h in hints)
    words = bank_topic(q.model_copy(update={"hints": steps}), spec())
    asked = ["kl"]  # its follow-up was asked: only a step is left for it
    assert hint_for(words, "kl", [], asked, also_about=True) == hints[1]
    stated = bank_topic(_stated(q.model_copy(update={"hints": steps}), None, "mle", None), spec())
    assert hint_for(stated, "kl", [], asked, also_about=True) is None


def test_a_follow_up_may_only_build_on_another_key_point_of_its_question() -> None:
    with pytest.raises(ValueError, match="not another key point"):
        Question(
            **{
                **question("q1").model_dump(),
                "follow_ups": [{"key_point": "kl", "prompt": "Why?", "after": "nope"}],
            }
        )


def test_a_follow_up_answered_with_another_point_is_asked_again_before_moving_on(
    director: Director,
) -> None:
    state = opened(director)
    texts = [
        "Cross-entropy compares the predicted probabilities with the labels.",
        "With a softmax the gradient is p minus y.",  # asked about likelihood: another point
        "Minimising it is the same as minimising the kl divergence to the data.",
    ]
    moves = []
    for i, text in enumerate(texts):
        decision = decide(director, state=state, text=text, elapsed_seconds=60 * (i + 1))
        state, moves = decision.state, [*moves, decision.move]
    assert (moves[0].kind, moves[0].target_id) == (MoveKind.follow_up, "mle")
    assert moves[1].target_id == "kl"
    # everything else is covered: the likelihood question comes back once, not a new question
    assert (moves[2].kind, moves[2].target_id, moves[2].cause) == (MoveKind.probe, "mle", "revisit")
    assert moves[2].text == "How does it relate to likelihood?"
    last = decide(director, state=state, text="Not sure, honestly.", elapsed_seconds=240)
    again = decide(director, state=last.state, text="No idea.", elapsed_seconds=300)
    assert all(m.move.cause != "revisit" for m in (last, again))


def test_a_follow_up_answered_with_nothing_is_not_called_dodged(director: Director) -> None:
    state = opened(director)
    for i, text in enumerate(
        [
            "Cross-entropy compares the predicted probabilities with the labels.",
            "I'm not sure how it relates, honestly I have no idea.",
        ]
    ):
        state = decide(director, state=state, text=text, elapsed_seconds=60 * (i + 1)).state
    assert state.current.dodged == []


@pytest.mark.parametrize(
    ("question_id", "first", "presumes"),
    [
        ("two-sum", "I would try every pair with two nested loops, that is O(n^2).", "structure"),
        (
            "top-k-frequent",
            "Count with a Counter, then sort the pairs by count and take the first k.",
            "your heap",
        ),
    ],
)
def test_a_plain_hint_after_a_follow_up_is_a_step_forward_not_a_push_back(
    content: Content, question_id: str, first: str, presumes: str
) -> None:
    """"any hint?" right after "can you do better?" gets the point's nudge or a step of the
    ladder towards the point, not the point's challenge, which presumes an answer ("your
    structure") not given yet."""
    director = real(content, question_id)
    state = decide(director, state=opened(director), text=first, elapsed_seconds=60).state
    decision = decide(director, state=state, text="any hint?", elapsed_seconds=120)
    assert decision.move.kind is MoveKind.hint
    nudges = [p.nudge for p in director.topics[0].key_points if p.nudge]
    assert decision.move.text in (*director.topics[0].hints, *nudges)
    assert presumes not in (decision.move.text or "")


@pytest.mark.parametrize(
    "text",
    [
        "Can you say it in simpler terms?",
        "explain the question more simply",
        "Could you put the question in plain English?",
        "Sorry, can you rephrase that in other words?",
    ],
)
def test_a_request_for_simpler_words_rephrases_the_question_not_reads_it_again(
    content: Content, text: str
) -> None:
    director = real(content, "lowest-common-ancestor")  # no plain version in content
    prompt = director.topics[0].prompt
    decision = decide(director, state=opened(director), text=text, elapsed_seconds=30)
    move = decision.move
    assert (move.kind, move.cause) == (MoveKind.clarify, "simpler")
    said = move.text or ""
    assert "lowest common ancestor" in said and "`" not in said
    assert len(said.split()) < len(prompt.split()) / 2


def test_a_plain_request_to_repeat_still_reads_the_question_again(content: Content) -> None:
    director = real(content, "two-sum")
    decision = decide(
        director, state=opened(director), text="Could you repeat the question?", elapsed_seconds=30
    )
    assert decision.move.cause == "repeat"
    assert decision.move.text == director.topics[0].prompt


def test_plainly_prefers_the_content_s_plain_version_then_the_sentence_that_asks(
    content: Content,
) -> None:
    from app.engine.rephrase import plainly

    two_sum = real(content, "two-sum").topics[0]
    assert plainly(two_sum, None) == content.questions["two-sum"].plain
    # a follow-up on the table: the sentence that asks, with the one it leans on
    assert plainly(two_sum, "Suppose memory were tight. Would you change anything?") == (
        "Suppose memory were tight. Would you change anything?"
    )
    assert plainly(two_sum, "Storage is cheap here. How does each one handle writes?") == (
        "Storage is cheap here. How does each one handle writes?"
    )
    assert plainly(two_sum, "Walk me through the attention layer: what it computes.") == (
        "Walk me through the attention layer."
    )


def test_a_plain_version_must_be_shorter_than_the_prompt() -> None:
    with pytest.raises(ValueError, match="plain"):
        Question(**{**question("q1").model_dump(), "plain": "Why " * 40})


def test_a_redirected_opening_s_scene_stands_once_the_story_goes_on_to_what_was_asked(
    content: Content,
) -> None:
    director = real(content, "conflict-with-colleague")
    opening = (
        "In 2022 I was the tech lead on the payments team at a bank, six engineers, and I was "
        "responsible for rebuilding the card authorisation service before a regulatory deadline. "
        "I split the work into three milestones and set up a weekly demo."
    )
    first = decide(director, state=opened(director), text=opening, elapsed_seconds=60)
    assert first.move.kind is MoveKind.redirect
    assert "situation" not in first.state.current.sections  # not credited while redirected
    assert "situation" in first.state.current.set_aside
    on = (
        "That's where the conflict started: a senior engineer kept rejecting the plan in standups "
        "and we argued in front of everyone. I asked her for a coffee to understand why."
    )
    second = decide(director, state=first.state, text=on, elapsed_seconds=120)
    assert "situation" in second.state.current.sections
    assert second.move.target_id not in ("situation", "task")
    assert second.state.current.set_aside == []


def test_a_redirected_opening_is_not_credited_when_the_next_message_is_no_answer(
    content: Content,
) -> None:
    director = real(content, "conflict-with-colleague")
    opening = (
        "In 2022 I was the tech lead on the payments team at a bank, six engineers, and I was "
        "responsible for rebuilding the card authorisation service before a regulatory deadline. "
        "I split the work into three milestones and set up a weekly demo."
    )
    first = decide(director, state=opened(director), text=opening, elapsed_seconds=60)
    second = decide(director, state=first.state, text="No idea.", elapsed_seconds=120)
    assert "situation" not in second.state.current.sections


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("I asked her for a one on one over coffee rather than in the standup.", False),
        ("I talked to her one on one, and I asked what was driving the changes.", False),
        ("I was asked to lead the migration of the billing service.", True),
        ("I was the one who had to get the release out.", True),
    ],
)
def test_an_active_i_asked_is_an_action_not_the_task(
    content: Content, text: str, task: bool
) -> None:
    """The task's "i was asked" needs the passive; "I asked her" is what the candidate did."""
    director = real(content, "conflict-with-colleague")
    a = assess(director.topics[0], director.spec, text)
    status = a.status_of("task", section=True)
    assert (status is not None and status.status == "covered") is task


def test_an_acknowledgement_never_quotes_a_code_fragment(content: Content) -> None:
    """Code pasted without prose: "Right, “dy.T @ self.x”: noted." would praise the bug."""
    director = real(content, "linear-layer-backprop")
    code = (
        "class Linear:\n    def forward(self, x):\n        self.x = x\n"
        "        return x @ self.W + self.b\n    def backward(self, dy):\n"
        "        self.dW = dy.T @ self.x\n        return dy @ self.W.T\n"
    )
    move = decide(director, state=opened(director), text=code, elapsed_seconds=120).move
    assert "@" not in (move.ack or "") and ".T" not in (move.ack or "")


def test_a_second_wrong_claim_is_challenged_once_the_first_is_answered(
    content: Content,
) -> None:
    director = real(content, "python-builtin-complexity")
    first = decide(
        director,
        state=opened(director),
        text=(
            "Popping from the front is O(1) too, it just moves the start pointer. For the loop, "
            "I'd just keep the list, `in` is fast enough."
        ),
        elapsed_seconds=120,
    )
    assert first.move.kind is MoveKind.challenge and first.move.target_id == "list-costs"
    assert [c.key_point for c in first.state.current.pending] == ["fix-membership"]
    second = decide(
        director,
        state=first.state,
        text="hmm, right, the items have to slide down one slot each, so that one is O(n).",
        elapsed_seconds=240,
    )
    assert second.move.kind is MoveKind.challenge and second.move.target_id == "fix-membership"
    assert second.state.current.pending == []


def test_an_acknowledgement_names_the_answer_to_the_question_asked(content: Content) -> None:
    """Asked how to make the hold safe, the candidate names the bookings table on the way to the
    conditional update: the acknowledgement names the conditional update."""
    director = real(content, "ticket-booking")
    state = opened(director)
    state.current.probed.append("hold-concurrency")
    text = (
        "the bookings table gets a unique constraint on (event_id, seat_id), or a conditional "
        "update on the seat row; that's the real guarantee."
    )
    move = decide(director, state=state, text=text, elapsed_seconds=300).move
    assert move.acknowledged and move.ack == "conditional update"


def test_a_list_is_acknowledged_by_its_ends_not_one_item(content: Content) -> None:
    director = real(content, "deadlocks")
    text = "mutual exclusion, hold and wait, no preemption and circular wait. you need all four"
    move = decide(director, state=opened(director), text=text, elapsed_seconds=120).move
    assert (move.ack, move.ack_last, move.ack_between) == (
        "mutual exclusion",
        "circular wait",
        True,
    )


def test_a_section_acknowledged_is_one_the_message_s_own_words_covered(
    content: Content,
) -> None:
    """One "a/b test" key point credits both evaluation sections; the acknowledgement names the
    online experiment the message describes, not the offline metrics it never mentioned."""
    director = real(content, "notification-ranking")
    text = "I'd A/B test it, primary metric daily active users, with guardrails on opt-out rate."
    move = decide(director, state=opened(director), text=text, elapsed_seconds=120).move
    assert move.ack_section and move.ack == "Experimentation and online evaluation"


def test_stuck_on_a_point_its_nudge_comes_before_the_ladder_s_step() -> None:
    """"why p minus y? hint?" right after the gradient's follow-up gets the point's own nudge,
    written for a candidate stuck on it, not the ladder's next step (about likelihood)."""
    from app.engine.gap import hint_for

    q = question("q1")
    nudge = "Differentiate the loss with respect to one logit, through the softmax."
    grad = q.key_points[2].model_copy(update={"nudge": nudge})
    q = q.model_copy(update={"key_points": (*q.key_points[:2], grad)})
    topic = bank_topic(q, spec())
    given, asked = ["What is its gradient with softmax?"], ["grad"]
    assert hint_for(topic, "grad", given, asked, attempted=[], also_about=True) == nudge
    # given once, it is not given again: the ladder's step about it, or nothing
    assert hint_for(topic, "grad", [*given, nudge], asked, attempted=[]) is None


def test_a_hint_about_another_part_says_nothing_is_left_about_theirs(
    director: Director,
) -> None:
    """Stuck on the gradient (its follow-up asked, no step of the ladder about it, no nudge),
    the hint is about another part, and the move says so: it is not passed off as help with
    what they asked."""
    state = opened(director)
    texts = [
        "It's the negative log likelihood of the labels, so maximum likelihood.",
        "And minimising it is the same as minimising the kl divergence to the data.",
    ]
    for i, text in enumerate(texts):
        state = decide(director, state=state, text=text, elapsed_seconds=60 * (i + 1)).state
    assert state.current.asked == "What is its gradient with softmax?"
    decision = decide(director, state=state, text="no idea, a hint?", elapsed_seconds=200)
    move = decision.move
    assert (move.kind, move.cause) == (MoveKind.hint, "elsewhere"), move
    assert move.text == "Think probabilistically."


def test_a_nudge_that_says_its_point_s_phrase_is_refused() -> None:
    with pytest.raises(ValueError, match="the nudge says the point's phrase 'kl divergence'"):
        KeyPoint(
            id="kl",
            text="Minimising it minimises KL divergence.",
            weight=2,
            phrases=("kl divergence",),
            criterion="depth",
            nudge="What is the KL-divergence between the data and the model?",
        )


def test_a_wrong_claim_beside_a_hint_request_is_pushed_back_on_before_the_hint(
    content: Content,
) -> None:
    """The claim is not let stand for the sake of the hint; the hint is not spent, and asked
    again it is given."""
    director = real(content, "bias-variance-tradeoff")
    text = "Underfitting? More data reduces bias. Can I get a hint on the formal part?"
    decision = decide(director, state=opened(director), text=text, elapsed_seconds=60)
    move = decision.move
    assert (move.kind, move.cause, move.target_id) == (MoveKind.challenge, "before_hint", "levers")
    assert decision.state.current.hints_used == 0
    again = decide(director, state=decision.state, text="ok. the hint?", elapsed_seconds=120)
    assert again.move.kind is MoveKind.hint and again.state.current.hints_used == 1
    # asking to skip with it: the skip is what they want
    skipping = decide(
        director, state=opened(director), text="More data reduces bias. No idea, can I skip?",
        elapsed_seconds=60,
    )
    assert skipping.move.kind is not MoveKind.challenge


def test_another_hint_right_after_one_about_a_point_stays_on_that_point(
    director: Director,
) -> None:
    """"I can't see how the kl divergence comes in, hint?" gets the KL point's follow-up;
    "still lost, another one?" names nothing, and is still about that point: with nothing left
    about it, the hint about another part says so."""
    state = opened(director)
    first = decide(
        director,
        state=state,
        text="I can't see how the kl divergence comes in, hint?",
        elapsed_seconds=60,
    )
    assert (first.move.kind, first.move.target_id) == (MoveKind.hint, "kl")
    again = decide(
        director, state=first.state, text="Still lost, another hint?", elapsed_seconds=120
    )
    assert (again.move.kind, again.move.cause) == (MoveKind.hint, "elsewhere")


def test_a_roll_call_of_components_is_taken_one_piece_at_a_time(content: Content) -> None:
    director = real(content, "payment-system")
    decision = decide(
        director,
        state=opened(director),
        text=(
            "I'd use idempotency keys with a unique constraint, a state machine with pending "
            "state, a double entry ledger that's append only, the outbox pattern with kafka, and "
            "reconciliation with settlement files."
        ),
        elapsed_seconds=120,
    )
    # not "that covers the main points": the weightiest piece named, asked how it works
    assert decision.move.kind is MoveKind.follow_up and decision.move.cause == "rollcall"
    assert decision.move.target_id in {"idempotency", "state-machine"}
    assert not decision.state.current.covered


def test_no_story_yet_is_invited_not_asked_to_recall(content: Content) -> None:
    question = content.questions["time-you-failed"]
    spec = content.rounds[question.round]
    director = Director(spec=spec, topics=[bank_topic(question, spec)])
    state = director.start(budget_seconds=2400).state
    said = "I can't think of a time I failed, to be honest."
    decision = director.decide(
        state=state, assessment=assess(director.topic_of(state), spec, said), elapsed_seconds=30
    )
    assert decision.move.kind == "encourage" and decision.move.cause == "no_story"


@pytest.mark.parametrize(("fresh", "stale"), [(2, True), (12, False)])
def test_answers_that_cover_no_new_point_are_stale_only_when_they_say_nothing_new(
    content: Content, fresh: int, stale: bool
) -> None:
    """After a deep dive there is no key point left to cover: an answer that gives the reason
    asked for (many words new on the question) is no sign of being stuck; one that repeats
    itself is."""
    from app.engine.assessment import Assessment
    from app.engine.intent import Intent

    director = real(content, "top-k-frequent")
    state = opened(director)
    answer = Assessment(intents=(Intent.answer,), fresh=fresh, backend="offline")
    for minute in (2, 4, 6):
        decision = director.decide(state=state, assessment=answer, elapsed_seconds=60 * minute)
        state = decision.state
    assert (state.progress[0].outcome == "stale") is stale


def test_after_an_aside_the_question_on_the_table_is_asked_again(content: Content) -> None:
    director = real(content, "rate-limiter")
    moves = played(
        director,
        [
            "Per API key, roughly right is fine. I'd do a token bucket per key with a refill rate.",
            "would a fixed window counter work instead?",
            "Fixed window is simpler but lets 2N through at the boundary, so I'd keep the bucket.",
        ],
    )
    asked, handed_back, back = moves
    assert handed_back.kind is MoveKind.clarify and handed_back.cause == "choice"
    assert back.kind is MoveKind.probe and back.cause == "back"
    assert back.target_id == asked.target_id and back.text == asked.text


@pytest.mark.parametrize(
    ("answer", "cause"),
    [
        # an answer the reply took, asking about something else: it covered what was asked
        ("Each unit is zeroed with probability p, a fresh random mask every pass.", "check_in"),
        # an answer the reply pushed back on: not yet
        ("Dropout removes weights permanently, so the net is smaller.", "check_in_open"),
    ],
)
def test_a_check_in_on_the_answer_is_told_where_it_stands(
    content: Content, answer: str, cause: str
) -> None:
    """"Does that answer your question?" is neither a question about the interviewer nor an
    open assumption: the reply says whether the answer was taken, and asks what is on the
    table, leaving it there."""
    director = real(content, "why-dropout")
    state = opened(director)
    reply = decide(director, state=state, text=answer, elapsed_seconds=120)
    check = decide(
        director, state=reply.state, text="Does that answer your question?", elapsed_seconds=180
    )
    assert check.move.kind is MoveKind.clarify and check.move.cause == cause
    assert check.move.text == reply.state.current.asked
    assert check.state.last_move == reply.state.last_move


def test_after_an_aside_the_part_of_the_design_asked_about_is_asked_again(
    content: Content,
) -> None:
    """The question on the table may be a part of the round's template (a checklist section),
    not a key point: after the choice handed back is weighed, it is asked again too."""
    director = real(content, "eta-prediction")
    moves = played(
        director,
        [
            "The goal is to predict trip minutes so riders see an honest arrival time, judged by "
            "mean absolute error and the p90 error.",
            "would a boosted tree be a better fit than a neural net if our signals are tabular?",
            "Trees train fast on tabular trip features while a net pays off only with GPS "
            "sequences, so I would begin with trees for the arrival time.",
        ],
    )
    asked, handed_back, back = moves
    assert asked.target_id in {s.id for s in director.spec.checklist}
    assert handed_back.kind is MoveKind.clarify and handed_back.cause == "choice"
    assert back.kind is MoveKind.probe and back.cause == "back"
    assert back.target_id == asked.target_id and back.text == asked.text


@pytest.mark.parametrize(
    ("said", "quotable"),
    [("1/(1-p", False), ("1/(1-p)", True), ("inverted dropout", True), ("(as in SGD", False)],
)
def test_words_cut_off_inside_brackets_are_not_quoted_back(said: str, quotable: bool) -> None:
    from app.engine.director import _quotable

    assert _quotable(said) is quotable


@pytest.mark.parametrize(
    ("third", "back"),
    [
        # the point asked two turns ago, answered late: the question just asked is asked again
        (
            "Oh, and at test time nothing is dropped; inverted dropout scales the kept "
            "activations by 1/(1-p) during training so the expectation matches.",
            True,
        ),
        # a point never asked, offered on the candidate's own: noted as dodged, asked later
        (
            "I've used MC dropout at inference for uncertainty, averaging twenty passes.",
            False,
        ),
        # a correction of what was said before, nothing new: the question just asked again
        ("Hmm, I said a fresh mask every pass, and I should say it is per example too.", True),
        # nothing new and nothing taken up: an attempt at the question, not asked again
        ("Hmm, it makes the whole thing a bit noisier for the optimiser overall.", False),
    ],
)
def test_a_late_answer_to_an_earlier_question_leaves_the_last_one_on_the_table(
    content: Content, third: str, back: bool
) -> None:
    director = real(content, "why-dropout")
    moves = played(
        director,
        [
            "Each unit is zeroed with probability p, with a fresh random mask every pass.",
            "Units can't co-adapt; it's like an ensemble of thinned subnetworks sharing weights.",
            third,
        ],
    )
    asked, last = moves[1], moves[2]
    assert (last.cause == "back_late") is back
    if back:
        assert last.target_id == asked.target_id and last.text == asked.text


def test_an_encouragement_after_i_dont_know_leaves_the_question_on_the_table(
    content: Content,
) -> None:
    """"No idea" gets a word of encouragement; the hint asked for right after is about the
    question they could not answer, not the ladder's first step."""
    director = real(content, "why-batchnorm")
    moves = played(
        director,
        [
            "It normalises each channel over the batch to zero mean and unit variance, then "
            "applies a learned gamma and beta.",
            "It lets you train with much bigger learning rates without blowing up.",
            "No clue there, honestly.",
            "Could you give me a hint?",
        ],
    )
    asked, encouraged, hint = moves[1], moves[2], moves[3]
    assert encouraged.kind is MoveKind.encourage and encouraged.cause == "dont_know"
    assert hint.kind is MoveKind.hint and hint.target_id == asked.target_id


FEATURES = ChecklistSection(
    id="features",
    name="Feature engineering",
    criterion="modelling",
    phrases=("user features",),
    probes=("What signals would you feed the model?", "How would you represent the request?"),
)


def test_a_request_for_help_on_a_part_of_the_answer_gets_a_hint_on_that_part() -> None:
    s = spec(checklist=(FEATURES,))
    director = Director(spec=s, topics=[bank_topic(question(), s)])
    moves = played(
        director,
        [
            "I'm blanking on the features part, any hints?",
            "Still lost on the features part, another hint?",
            "I'm stuck on the kl divergence part, any hints?",
        ],
    )
    assert [(m.kind, m.target_id, m.text) for m in moves[:2]] == [
        (MoveKind.hint, "features", "What signals would you feed the model?"),
        (MoveKind.hint, "features", "How would you represent the request?"),
    ]
    # a request that names a key point outright gets that point's question
    assert (moves[2].kind, moves[2].target_id) == (MoveKind.hint, "kl")


def test_in_a_coding_round_a_part_named_for_help_gets_the_ladder() -> None:
    s = spec(checklist=(FEATURES,), code_required=True)
    director = Director(spec=s, topics=[bank_topic(question(), s)])
    (move,) = played(director, ["I'm blanking on the features part, any hints?"])
    assert move.kind is MoveKind.hint and move.target_id != "features"
