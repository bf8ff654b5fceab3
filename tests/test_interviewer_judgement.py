"""What an experienced interviewer does with what the candidate said, on the real content:
hints aimed at the stated gap, wrong figures challenged, hypotheticals not credited, and a
scorecard whose rationales never contradict themselves."""

from __future__ import annotations

from app.content.loader import Content
from app.engine.assessment import Assessment
from app.engine.assessor import assess
from app.engine.director import Director
from app.engine.moves import Decision, MoveKind
from app.engine.state import InterviewState
from app.engine.text import units
from app.engine.topics import bank_topic
from app.scoring.answers import group_answers
from app.scoring.evidence import CandidateMessage
from app.scoring.models import ScoreResult
from app.scoring.offline import score_offline


def assessed(content: Content, question_id: str, text: str) -> Assessment:
    question = content.questions[question_id]
    spec = content.rounds[question.round]
    return assess(bank_topic(question, spec), spec, text)


def scored(
    content: Content, question_id: str, said: list[str], outcome: str = "limit"
) -> ScoreResult:
    question = content.questions[question_id]
    spec = content.rounds[question.round]
    topic = bank_topic(question, spec)
    state = InterviewState(
        round=question.round,
        plan=[topic.id],
        budget_seconds=3600,
        progress=[{"topic_id": topic.id, "outcome": outcome}],
    )
    messages = [CandidateMessage(seq=2 * n, content=t) for n, t in enumerate(said, start=1)]
    groups = group_answers(messages, state, [topic], spec)
    return score_offline(groups=groups, rubric=content.rubrics[question.round], spec=spec)


def criterion(result: ScoreResult, criterion_id: str):
    return next(c for c in result.criteria if c.criterion_id == criterion_id)


# ----------------------------------------------------------------- prose is not code


def test_a_sentence_with_a_complexity_in_it_is_prose_and_can_be_a_wrong_claim(
    content: Content,
) -> None:
    assert [u.kind for u in units("So the lookup is O(n) (one scan).")] == ["prose"]
    assert [u.kind for u in units("return seen[target - x]")] == ["code"]
    a = assessed(content, "two-sum", "A dictionary lookup is O(n) in the size of the map.")
    assert [c.key_point for c in a.claims] == ["hash-complement"]


def test_prose_about_returning_a_value_is_not_code_written(content: Content) -> None:
    said = [
        "I scan once with a dictionary of seen values and their indices, and if nothing adds "
        "up I return -1 to the caller."
    ]
    result = scored(content, "two-sum", said)
    graded = criterion(result, "code_quality")
    assert "No code was written" in graded.rationale and graded.score == 1


# ----------------------------------------------------------------- rationales


def test_a_rationale_never_counts_a_part_missing_that_its_key_point_covers(
    content: Content,
) -> None:
    said = ["I'd test an empty list, a single element, and a list where no valid pair exists."]
    result = scored(content, "two-sum", said)
    testing = criterion(result, "testing").rationale
    assert "(Testing)" in testing and "not addressed" not in testing.lower(), testing
    for item in result.criteria:
        sentences = item.rationale.split(". ")
        for sentence in sentences:
            _, _, missing = sentence.lower().partition("not addressed: ")
            assert not missing or "covered" not in missing, item.rationale


# ----------------------------------------------------------------- the director on real content


def real(content: Content, question_id: str) -> Director:
    question = content.questions[question_id]
    spec = content.rounds[question.round]
    return Director(spec=spec, topics=[bank_topic(question, spec)])


def talk(director: Director, said: list[str], seconds_per_turn: float = 120) -> list[Decision]:
    """Each message decided as the service does: assessed with the earlier ones as context."""
    state = director.start(budget_seconds=2700).state
    decisions = []
    for number, text in enumerate(said, start=1):
        a = assess(director.topic_of(state), director.spec, text, earlier=said[: number - 1])
        decision = director.decide(state=state, assessment=a, elapsed_seconds=number * 120)
        decisions.append(decision)
        state = decision.state
    return decisions


def test_a_hint_is_about_the_gap_the_candidate_names_not_the_ladder_s_next_step(
    content: Content,
) -> None:
    approach = "I'd remember each value's position in a dict and look for target minus x."
    asked = "Honestly I'm not sure what to do when the same value shows up twice. Any tips?"
    hint = talk(real(content, "two-sum"), [approach, asked])[-1].move
    assert hint.kind is MoveKind.hint and hint.target_id == "self-pairing", hint
    ladder = [step.text for step in content.questions["two-sum"].hints]
    assert hint.text not in ladder[:1], hint.text


def test_a_bare_hint_request_is_about_the_point_just_asked_and_never_repeats_a_hint(
    content: Content,
) -> None:
    approach = "I'd remember each value's position in a dict and look for target minus x."
    decisions = talk(real(content, "two-sum"), [approach, "Hint please?", "Another hint?"])
    asked, first, second = (d.move for d in decisions)
    assert asked.kind is MoveKind.follow_up
    assert first.kind is MoveKind.hint and first.target_id == asked.target_id, first
    assert second.kind is MoveKind.hint and second.text != first.text


def test_the_ladder_skips_a_step_about_what_was_already_said(content: Content) -> None:
    said = [
        "Each API key gets a token bucket, refilled at its rate, and a request takes a token.",
        "Hmm, I'm blanking on what comes next. Can I get a hint?",
    ]
    hint = talk(real(content, "rate-limiter"), said)[-1].move
    first_step = content.questions["rate-limiter"].hints[0].text  # how to measure: the algorithms
    assert hint.kind is MoveKind.hint and hint.text != first_step, hint


def test_a_wrong_total_cost_after_the_right_approach_is_challenged(content: Content) -> None:
    said = [
        "One pass: a dict from value to index, and for each x I check whether target - x is in "
        "it before storing x.",
        "So overall that comes to O(n log n) for the whole thing.",
    ]
    move = talk(real(content, "two-sum"), said)[-1].move
    assert move.kind is MoveKind.challenge and move.target_id == "complexity", move
    assert "O(n)" not in (move.text or "")  # pushes back without giving the answer


def test_the_cost_of_a_step_or_of_the_baseline_is_not_a_wrong_total(content: Content) -> None:
    said = [
        "One pass: a dict from value to index, and for each x I check whether target - x is in "
        "it before storing x.",
        "Checking every pair would be O(n^2); each dict lookup is O(1) on average, so it's O(n).",
    ]
    move = talk(real(content, "two-sum"), said)[-1].move
    assert move.kind is not MoveKind.challenge, move


def test_the_cost_of_the_step_a_clause_names_is_not_a_wrong_total(content: Content) -> None:
    said = [
        "Keep a sorted list and insort into it.",
        "hmm ok so the insert also shifts elements, so it's O(n). better: two heaps, a max heap "
        "for the lower half and a min heap for the upper half, keep sizes within one",
    ]
    move = talk(real(content, "median-data-stream"), said)[-1].move
    assert move.kind is not MoveKind.challenge, move
    # said of the whole, the same words are a claim about the solution
    said[-1] = (
        "two heaps, a max heap for the lower half and a min heap for the upper half, keep sizes "
        "within one; the insert rebalances, so it's O(n) overall"
    )
    move = talk(real(content, "median-data-stream"), said)[-1].move
    assert move.kind is MoveKind.challenge and move.target_id == "complexity", move


def test_a_figure_given_in_an_answer_and_said_back_wrong_is_challenged(content: Content) -> None:
    said = [
        "What request volume should I design the limiter for?",
        "Right, so we're handling roughly 5 thousand requests a second overall.",
    ]
    answered, checked = (d.move for d in talk(real(content, "rate-limiter"), said))
    assert answered.kind is MoveKind.answer_question
    assert checked.kind is MoveKind.challenge and "500" not in (checked.text or ""), checked


def test_a_figure_derived_from_the_given_one_is_not_challenged(content: Content) -> None:
    said = [
        "What request volume should I design the limiter for?",
        "At peak I'd plan for three times that, about 1.5 million requests a second.",
        "So we're handling a figure nobody gave me yet: 40 requests a second per key.",
    ]
    moves = [d.move for d in talk(real(content, "rate-limiter"), said)]
    assert all(m.kind is not MoveKind.challenge for m in moves), moves


def test_a_key_point_and_a_section_that_share_an_id_are_read_apart(content: Content) -> None:
    said = ["We shard the Redis counters by API key so that no single node takes all the load."]
    result = scored(content, "rate-limiter", said)
    scaling = criterion(result, "scaling").rationale
    assert "(Scaling and reliability)" in scaling, scaling


# ----------------------------------------------------------------- behavioral: stories, not plans

PLAN = [
    "My approach would be to sit down with them one to one and hear them out. Then I'd "
    "suggest we agree on the goal first, and I would write the decision down so nobody "
    "relitigates it.",
    "If that failed I'd bring in our manager. The outcome would usually be a stronger working "
    "relationship and I'd learn to raise things sooner.",
]


def test_a_plan_of_what_they_would_do_is_asked_for_a_real_example_and_credits_nothing(
    content: Content,
) -> None:
    first, second = (d.move for d in talk(real(content, "conflict-with-colleague"), PLAN))
    for move in (first, second):
        assert move.kind is MoveKind.probe and move.cause == "hypothetical", move
        assert not move.acknowledged
    result = scored(content, "conflict-with-colleague", PLAN)
    assert result.overall < 1.5, result
    assert "would do" in criterion(result, "action_ownership").rationale
    assert {m.key_point_id for m in result.missed_points} == {
        p.id for p in content.questions["conflict-with-colleague"].key_points
    }


def test_a_story_with_a_reflection_in_the_conditional_is_still_a_story(content: Content) -> None:
    story = (
        "Last spring a colleague and I clashed over code review turnaround on the billing "
        "service. I asked him for a coffee and we talked it through; he felt my reviews came too "
        "late. We agreed on a one-day review window and the friction stopped. Next time I would "
        "raise it in the first week instead of letting it fester."
    )
    move = talk(real(content, "conflict-with-colleague"), [story])[0].move
    assert move.cause != "hypothetical", move
    result = scored(content, "conflict-with-colleague", [story])
    assert result.overall >= 2, result


# ----------------------------------------------------------------- wrong claims in other words


def test_a_wrong_claim_in_everyday_equivalents_is_still_the_wrong_version(
    content: Content,
) -> None:
    said = "Underfitting is easy: more samples cure high bias every time."
    a = assessed(content, "bias-variance-tradeoff", said)
    assert [c.key_point for c in a.claims] == ["levers"], a.claims
    right = "More samples lower the variance; for high bias I'd add capacity instead."
    assert assessed(content, "bias-variance-tradeoff", right).claims == ()


def test_an_answer_to_another_problem_is_redirected(content: Content) -> None:
    said = (
        "Walk the sorted intervals and glue each one onto the previous whenever they overlap, "
        "pushing out the right edge."
    )
    move = talk(real(content, "two-sum"), [said])[0].move
    assert move.kind is MoveKind.redirect, move
    own_words = "I'd go number by number and remember every value I've passed with where it was."
    assert talk(real(content, "two-sum"), [own_words])[0].move.kind is not MoveKind.redirect


def test_to_see_if_asks_whether_and_supposes_nothing(content: Content) -> None:
    said = "To see if a model is good offline I'd just look at its accuracy on held-out days."
    a = assessed(content, "ads-click-prediction", said)
    assert [c.key_point for c in a.claims] == ["evaluation"], a.claims
    supposed = "If you only looked at accuracy you'd be fooled by the 1% click rate."
    assert assessed(content, "ads-click-prediction", supposed).claims == ()


def test_a_hint_after_a_challenge_can_be_the_point_s_follow_up(content: Content) -> None:
    said = [
        "I'd measure accuracy offline on held-out days.",
        "I'm a bit lost on how to judge the model then, could I get a nudge there?",
    ]
    challenge, hint = (d.move for d in talk(real(content, "ads-click-prediction"), said))
    assert challenge.kind is MoveKind.challenge and challenge.target_id == "evaluation"
    follow_up = next(
        f.prompt
        for f in content.questions["ads-click-prediction"].follow_ups
        if f.key_point == "evaluation"
    )
    assert hint.kind is MoveKind.hint and hint.text == follow_up, hint


def test_a_wrong_total_after_code_is_challenged_and_covers_no_part(content: Content) -> None:
    code = (
        "```python\nimport numpy as np\ndef softmax(z):\n"
        "    e = np.exp(z - z.max(axis=-1, keepdims=True))\n"
        "    return e / e.sum(axis=-1, keepdims=True)\n```"
    )
    said = [code, "That is O(n^3) overall because numpy loops inside."]
    director = real(content, "softmax-cross-entropy-gradient")
    move = talk(director, said)[-1].move
    assert move.kind is MoveKind.challenge, move
    a = assess(director.topics[0], director.spec, said[1], earlier=[code])
    assert a.status_of("complexity", section=True).status == "not_addressed"  # type: ignore[union-attr]


def test_the_consequent_of_an_if_without_a_comma_is_asserted(content: Content) -> None:
    said = "If two keys collide I think the newer one just overwrites the old value."
    a = assessed(content, "hash-table-internals", said)
    assert [c.key_point for c in a.claims] == ["collisions"], a.claims
    supposed = "If you overwrite the old value you lose the first key."
    assert assessed(content, "hash-table-internals", supposed).claims == ()


def test_an_outline_of_labelled_term_lists_is_a_list() -> None:
    outline = (
        "Partitioning: consistent hashing, vnodes. Replication: N=3, quorum, preference list. "
        "Conflicts: vector clocks, LWW."
    )
    assert [u.kind for u in units(outline)] == ["list", "list", "list"]
    lines = "Objective: bookings per search, revenue\nRanking: LambdaMART on features, text match"
    assert [u.kind for u in units(lines)] == ["list", "list"]


def test_a_labelled_statement_alone_or_with_reasons_is_prose() -> None:
    assert [u.kind for u in units("Complexity: O(n log n) time, O(n) space.")] == ["prose"]
    reasoned = (
        "Storage: an LSM tree, because writes dominate.\n"
        "Cache: Redis in front, since reads are skewed to a few keys."
    )
    assert [u.kind for u in units(reasoned)] == ["prose", "prose"]


def test_what_kept_happening_in_a_story_is_told_not_planned() -> None:
    from app.engine.hypothetical import is_hypothetical

    assert not is_hypothetical(
        "He'd rename columns on Fridays and my dashboards would be broken on Monday morning."
    )
    assert not is_hypothetical("She'd add features mid-sprint and I'd push back, and it got tense.")
    assert is_hypothetical("I would talk to them first, then I'd set up a meeting.")
    assert is_hypothetical("Every time I would first gather the data.")


def test_choosing_the_example_is_no_plan() -> None:
    from app.engine.hypothetical import is_hypothetical

    assert not is_hypothetical("The project I'd pick is the move of our photo storage.")
    assert not is_hypothetical("I'll tell you about the time our billing broke.")
    assert is_hypothetical("Then I'd pick the two biggest reasons.")


def test_a_lesson_put_generally_is_no_plan() -> None:
    from app.engine.hypothetical import is_hypothetical

    assert not is_hypothetical("What I took away is that certainty is usually the expensive part.")
    assert not is_hypothetical("I'd say it was generally nicer to work with after that.")
    assert is_hypothetical("I usually start by talking to the customer.")
    assert is_hypothetical("Generally, we would set up a meeting first.")


def test_a_hard_wrapped_sentence_is_one_sentence() -> None:
    from app.engine.text import sentences

    wrapped = (
        "I put (value, list number, node) in so two equal values never\n"
        "fall back to comparing nodes. It runs in linear time."
    )
    assert sentences(wrapped)[0].endswith("never fall back to comparing nodes.")
    assert [u.kind for u in units("running averages\neval mode\nlayer norm")] == ["list"] * 3


def test_a_coding_candidate_who_moves_on_without_code_is_asked_for_it_once(
    content: Content,
) -> None:
    said = [
        "Two heaps: a max heap for the lower half and a min heap for the upper half, sizes "
        "within one; the median is the top of the bigger one or the mean of both tops.",
        "i think that's it",
        "next question please",
    ]
    asked, moved = (d.move for d in talk(real(content, "median-data-stream"), said)[1:])
    assert asked.kind is MoveKind.probe and asked.cause == "code_first", asked
    assert moved.kind is MoveKind.wrap_up, moved  # asked once: the second request is granted


def test_a_candidate_with_nothing_to_code_who_moves_on_is_not_asked_for_code(
    content: Content,
) -> None:
    moved = talk(real(content, "median-data-stream"), ["I give up, next question please"])[0]
    assert moved.move.kind is MoveKind.wrap_up, moved.move
