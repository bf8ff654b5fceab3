"""The scorecard grades substance: on the real content, offline and with a scripted LLM grader."""

from __future__ import annotations

import json
from collections.abc import Sequence

import httpx2
import pytest

from app.config import PROJECT_ROOT
from app.content.loader import Content
from app.content.models import RoundType
from app.engine.state import InterviewState
from app.engine.topics import bank_topic
from app.evaluation.samples import load_samples
from app.evaluation.simulate import interview, score
from app.llm.client import LLMClient, client_from_settings
from app.scoring.answers import TopicAnswers, group_answers
from app.scoring.evidence import CandidateMessage
from app.scoring.llm_grader import TranscriptLine, grade_with_llm
from app.scoring.models import ScoreResult
from app.scoring.offline import score_offline
from tests.conftest import make_settings, sign_up
from tests.fake_llm import MODEL_ID, FakeLLM, grader

API = "/api/v1"


def _groups(
    content: Content, question_ids: Sequence[str], answers: Sequence[Sequence[str]], **progress
) -> list[TopicAnswers]:
    """Answers to each question in turn, as the director would have split them."""
    round_type = content.questions[question_ids[0]].round
    spec = content.rounds[round_type]
    topics = [bank_topic(content.questions[q], spec) for q in question_ids]
    entries, messages, turn = [], [], 0
    for topic, said in zip(topics, answers, strict=True):
        entries.append({"topic_id": topic.id, "started_turn": turn, **progress})
        for text in said:
            turn += 1
            messages.append(CandidateMessage(seq=2 * turn, content=text))
    state = InterviewState(
        round=round_type, plan=[t.id for t in topics], budget_seconds=3600, progress=entries
    )
    return group_answers(messages, state, topics, spec)


def _offline(content: Content, groups: list[TopicAnswers]) -> ScoreResult:
    round_type = content.questions[groups[0].topic.id].round
    return score_offline(
        groups=groups, rubric=content.rubrics[round_type], spec=content.rounds[round_type]
    )


def _criterion(result: ScoreResult, criterion_id: str):
    return next(c for c in result.criteria if c.criterion_id == criterion_id)


# ----------------------------------------------------------------- keyword lists and negation


def _layouts(stuffing: str) -> dict[str, str]:
    terms = [t.strip() for t in stuffing.strip().rstrip(".").split(",") if t.strip()]
    return {
        "bullets": "\n".join(f"- {t}" for t in terms),
        "one per line": "\n".join(terms),
        "numbered": "\n".join(f"{n}. {t}" for n, t in enumerate(terms, start=1)),
        "repeated": " ".join([f"It is {t}." for t in terms[:3]] * 3),
    }


def test_keyword_lists_in_every_layout_score_below_a_genuine_medium_answer(
    content: Content,
) -> None:
    for sample in load_samples(PROJECT_ROOT, content):
        medium = score(content, interview(content, sample.question, sample.medium)).overall
        for layout, text in _layouts(sample.stuffing).items():
            listed = score(content, interview(content, sample.question, [text]))
            assert listed.overall < medium, (sample.question, layout, listed.overall, medium)
            assert all(
                "\n" not in e.quote and not e.quote.startswith("- ")
                for c in listed.criteria
                for e in c.evidence
            ), (sample.question, layout)


def test_a_negated_claim_earns_no_credit(content: Content) -> None:
    said = "I use a min heap of size k, so it runs in O(n log k)."
    denied = "I'm not using a heap here and I don't know about log k, I just sort the counts."
    scores = {}
    for name, text in (("said", said), ("denied", denied)):
        groups = _groups(content, ["top-k-frequent"], [[text]], outcome="limit")
        result = _offline(content, groups)
        missed = {m.key_point_id for m in result.missed_points}
        scores[name] = result
        quotes = [e.quote for c in result.criteria for e in c.evidence]
        if name == "said":
            assert "size-k-heap" not in missed
            assert said in quotes
        else:
            assert "size-k-heap" in missed
            assert not any("heap" in q or "log k" in q for q in quotes), quotes
    said_score = _criterion(scores["said"], "approach_complexity").score
    denied_score = _criterion(scores["denied"], "approach_complexity").score
    assert said_score is not None and denied_score is not None
    assert denied_score < said_score


def test_a_guess_earns_half_and_is_never_quoted(content: Content) -> None:
    groups = _groups(content, ["top-k-frequent"], [["Maybe a heap of size k would work?"]])
    (group,) = groups
    finding = group.finding("size-k-heap")
    assert finding.standing.value == "partly" and finding.evidence is None
    result = _offline(content, groups)
    assert not any("heap" in e.quote for c in result.criteria for e in c.evidence)


def test_a_guess_followed_up_and_guessed_again_with_more_of_it_is_covered(
    content: Content,
) -> None:
    """Hedged twice, the second time in reply to a follow-up on that point and with more of it:
    the candidate knows it and under-sells it (a communication matter), so it is covered and
    quoted from the later answer. The same guess repeated, or guessed twice with no follow-up
    on it, stays a guess."""
    first = "Maybe a heap of size k would work?"
    more = (
        "I guess I'd keep a min heap holding at most k elements, popping the smallest count "
        "whenever it grows past k, so maybe that's n log k?"
    )
    (group,) = _groups(content, ["top-k-frequent"], [[first, more]], probed=["size-k-heap"])
    finding = group.finding("size-k-heap")
    assert finding.standing.value == "covered"
    assert finding.evidence is not None and finding.evidence.quote.startswith("I guess I'd keep")
    again = "Maybe a heap of size k, I guess?"
    (group,) = _groups(content, ["top-k-frequent"], [[first, again]], probed=["size-k-heap"])
    assert group.finding("size-k-heap").standing.value == "partly"
    (group,) = _groups(content, ["top-k-frequent"], [[first, more]])
    assert group.finding("size-k-heap").standing.value == "partly"


def test_the_sentence_of_a_wrong_claim_credits_no_other_point_and_is_never_quoted(
    content: Content,
) -> None:
    """"LSTMs have a bigger memory, so with backpropagation through time ..." is the wrong
    version of the cell point; the words of another point in it (backpropagation through time)
    are no evidence for that one either. Said in a sentence of its own, the other point counts."""
    wrong = (
        "LSTMs have a bigger memory, so with backpropagation through time the gradient is kept "
        "across the steps."
    )
    (group,) = _groups(content, ["vanishing-gradients-lstm"], [[wrong]], outcome="limit")
    assert group.finding("lstm-cell").standing.value == "wrong"
    assert group.finding("product-of-jacobians").standing.value == "not_addressed"
    result = _offline(content, [group])
    assert not any("bigger memory" in e.quote for c in result.criteria for e in c.evidence)
    right = (
        "With backpropagation through time the gradient is a product of one Jacobian per step. "
        "LSTMs have a bigger memory, so the gradient is kept across the steps."
    )
    (group,) = _groups(content, ["vanishing-gradients-lstm"], [[right]], outcome="limit")
    assert group.finding("product-of-jacobians").standing.value == "covered"
    # a statement of its own after "and" in the same sentence still counts
    joined = (
        "LSTMs have a bigger memory, and I'd still clip the gradient norm because it can blow up."
    )
    (group,) = _groups(content, ["vanishing-gradients-lstm"], [[joined]], outcome="limit")
    assert group.finding("lstm-cell").standing.value == "wrong"
    assert group.finding("exploding").standing.value == "covered"


def test_praise_of_the_topic_is_no_evidence_of_practice(content: Content) -> None:
    """"A fundamental topic, it comes up a lot in practice" says what the candidate thinks of the
    topic, not how it is practised: no section credit, no quote. A sentence that says what they
    do in practice counts."""
    praise = (
        "Great question! Vanishing gradients are such a fundamental topic, it comes up a lot in "
        "practice."
    )
    (group,) = _groups(content, ["vanishing-gradients-lstm"], [[praise]], outcome="limit")
    assert group.finding("practice", section=True).standing.value == "not_addressed"
    result = _offline(content, [group])
    assert not any("fundamental" in e.quote for c in result.criteria for e in c.evidence)
    assert _criterion(result, "practical_application").score == 1
    done = "In practice I always clip the gradient norm at 5 when I train an RNN on long sequences."
    (group,) = _groups(content, ["vanishing-gradients-lstm"], [[done]], outcome="limit")
    assert group.finding("practice", section=True).standing.value == "covered"
    # a short answer that names one thing is short, not talk about the topic
    (group,) = _groups(content, ["vanishing-gradients-lstm"], [["I'd clip."]], outcome="limit")
    assert group.finding("exploding").standing.value == "covered"


def test_the_rubric_read_back_credits_nothing(content: Content) -> None:
    """A sentence made of the rubric's own descriptors ("design training and inference end to
    end, with latency budgets, caching and fallbacks") says nothing about this system: no key
    point, no section, no quote; a sentence with its own particulars still counts."""
    question = content.questions["email-spam-filter"]
    spec = content.rounds[RoundType.ml_system_design]
    rubric = content.rubrics[RoundType.ml_system_design]
    topic = bank_topic(question, spec)
    state = InterviewState(
        round=spec.id,
        plan=[topic.id],
        budget_seconds=3600,
        progress=[{"topic_id": topic.id, "outcome": "limit"}],
    )

    def read(text: str, with_rubric: bool) -> TopicAnswers:
        messages = [CandidateMessage(seq=2, content=text)]
        (group,) = group_answers(
            messages, state, [topic], spec, rubric=rubric if with_rubric else None
        )
        return group

    read_back = (
        "To serve it, I would design training and inference end to end, with latency budgets, "
        "caching and fallbacks, and retraining."
    )
    own = (
        "Mail is scored inline before delivery by a small model under 50 ms, falling back to the "
        "sender-reputation rules if it times out, and retrained daily on fresh reports."
    )
    before = read(read_back, with_rubric=False)  # what it earned when compared with nothing
    assert before.finding("serving").standing.value == "covered" and before.sentences
    after = read(read_back, with_rubric=True)
    assert after.finding("serving").standing.value == "not_addressed"
    assert not after.sentences and not after.answer_texts
    for section in spec.checklist:
        assert after.finding(section.id, section=True).standing.value == "not_addressed"
    mine = read(own, with_rubric=True)
    assert mine.finding("serving").standing.value == "covered" and mine.sentences


def test_pronouns_without_an_action_are_no_ownership(content: Content) -> None:
    """"I didn't talk to him, I thought it would be awkward" says "I" twice and what the candidate
    did not do: the ownership signal reads no account of an action, and quotes none."""
    from app.scoring.signals import NO_ACCOUNT, Inputs, ownership

    question = content.questions_for(RoundType.behavioral)[0].id
    said = [
        "I didn't have a one-on-one with my teammate or talk to her directly, I thought that "
        "would be awkward for me.",
        "I wasn't the one who decided, and I never raised it in my retro either.",
    ]
    groups = _groups(content, [question], [said], outcome="limit")
    spec = content.rounds[RoundType.behavioral]
    reading = ownership(Inputs(groups=groups, spec=spec, criterion_id="action_ownership"))
    assert reading is not None and reading.value == NO_ACCOUNT and not reading.evidence
    did = [*said, "So I booked a room with her the next morning and walked through the bug."]
    groups = _groups(content, [question], [did], outcome="limit")
    reading = ownership(Inputs(groups=groups, spec=spec, criterion_id="action_ownership"))
    assert reading is not None and reading.value > NO_ACCOUNT and reading.evidence


# ----------------------------------------------------------------- evidence and hints


def test_evidence_is_never_a_hint_request_a_question_or_the_question_read_back(
    content: Content,
) -> None:
    prompt = content.questions["two-sum"].prompt
    message = (
        f"{prompt} I would use a hash map from each value to its index, checking the complement "
        "before inserting, which is one pass and O(n) time. Maybe an empty list? I'm not sure "
        "what else would break it. Can I get a hint on the edge cases? Should I test "
        "duplicates in my code too? Also, what does your team work on?"
    )
    groups = _groups(content, ["two-sum"], [[message]], outcome="limit")
    result = _offline(content, groups)
    quotes = [e.quote for c in result.criteria for e in c.evidence]
    assert any("hash map" in q for q in quotes)
    for quote in quotes:
        assert "hint" not in quote.lower() and not quote.endswith("?"), quote
        assert prompt[:60] not in quote, quote
    assert result.hints_used == 1  # asked in a long message, and counted


def test_opinions_and_hypotheticals_are_not_quoted_as_actions(content: Content) -> None:
    question = content.questions_for(RoundType.behavioral)[0].id
    said = [
        "I think it depends on the situation and I would try something reasonable.",
        "I'm not sure what I would do differently, I guess I'd communicate more.",
    ]
    result = _offline(content, _groups(content, [question], [said], outcome="limit"))
    assert not _criterion(result, "action_ownership").evidence


def test_hint_requests_anywhere_count_as_asked(content: Content) -> None:
    said = [
        "I don't know, sorry. Hint please?",
        "Probably a hash map keyed by value, I'd check it before inserting. "
        "Could I get another hint on the complexity though?",
    ]
    (group,) = _groups(content, ["two-sum"], [said])
    assert group.hints_used == 2


# ----------------------------------------------------------------- not assessed


def test_a_criterion_never_reached_is_not_assessed_and_left_out_of_the_overall(
    content: Content,
) -> None:
    question = content.questions_for(RoundType.behavioral)[0].id
    scene = (
        "At my last job I was the tech lead on the payments team, and my task was to move "
        "our checkout service to a new payment provider."
    )
    groups = _groups(content, [question], [[scene]])  # the interview ended on this answer
    result = _offline(content, groups)
    rubric = content.rubrics[RoundType.behavioral]
    skipped = [c for c in result.criteria if c.score is None]
    assert {c.criterion_id for c in skipped} >= {"result_impact", "reflection"}
    assert all("Not assessed" in c.rationale and not c.evidence for c in skipped)
    weights = {c.id: c.weight for c in rubric.criteria}
    scored = [c for c in result.criteria if c.score is not None]
    assert scored
    expected = sum(weights[c.criterion_id] * c.score for c in scored) / sum(
        weights[c.criterion_id] for c in scored
    )
    assert result.overall == round(expected, 2)
    assert "Not assessed" in result.summary
    # the same answer when the interviewer moved on from the question: every criterion counts
    closed = _offline(content, _groups(content, [question], [[scene]], outcome="limit"))
    assert all(c.score is not None for c in closed.criteria)
    assert closed.overall < result.overall


async def test_not_assessed_is_stored_and_shown_as_such(
    client: httpx2.AsyncClient, auth: dict[str, str]
) -> None:
    created = await client.post(
        f"{API}/interviews", json={"round": "behavioral", "question_id": "hardest-bug"},
        headers=auth,
    )
    interview_id = created.json()["id"]
    scene = (
        "At my last job I was the tech lead on the payments team, and my task was to move "
        "our checkout service to a new payment provider."
    )
    said = await client.post(
        f"{API}/interviews/{interview_id}/messages", json={"content": scene}, headers=auth
    )
    assert said.status_code == 201, said.text
    finished = await client.post(f"{API}/interviews/{interview_id}/finish", headers=auth)
    assert finished.status_code == 200, finished.text
    card = finished.json()["scorecard"]
    assert card, finished.json()
    skipped = [c for c in card["criteria"] if c["score"] is None]
    assert skipped and all(c["level_descriptor"] == "Not assessed" for c in skipped)
    reread = await client.get(f"{API}/interviews/{interview_id}/scorecard", headers=auth)
    assert reread.json()["criteria"] == card["criteria"]
    exported = await client.get(
        f"{API}/interviews/{interview_id}/transcript", params={"format": "json"}, headers=auth
    )
    assert exported.status_code == 200, exported.text
    assert [c["score"] for c in exported.json()["scorecard"]["criteria"]] == [
        c["score"] for c in card["criteria"]
    ]
    markdown = (
        await client.get(
            f"{API}/interviews/{interview_id}/transcript", params={"format": "markdown"},
            headers=auth,
        )
    ).text
    for criterion in skipped:
        assert f"### {criterion['name']}: not assessed" in markdown
    assert "None / 4" not in markdown


def test_a_criterion_whose_key_points_were_only_named_scores_no_higher_than_3(
    content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Buzzwords in sentences ("a load balancer, a Redis cache, sharding and replication ...")
    address the design part and name its points: never the top level, which asks for the
    flows walked through, and the rationale says why."""
    from app.scoring.offline import ONLY_NAMED, ONLY_NAMED_CAP

    answers = [
        "I would use a load balancer in front, a Redis cache, sharding and replication for the "
        "database, and a CDN for media. That handles scale.",
        "For the feed I would use a hybrid fan-out with Kafka and a ranking model.",
    ]
    (group,) = _groups(content, ["news-feed"], [answers], outcome="limit")
    card = _criterion(_offline(content, [group]), "high_level_design")
    assert card.score == ONLY_NAMED_CAP, card.rationale
    assert ONLY_NAMED in card.rationale and "only named" in card.rationale
    # the same blend without the cap would have been the top level
    monkeypatch.setattr("app.scoring.offline.ONLY_NAMED_CAP", 4)
    assert _criterion(_offline(content, [group]), "high_level_design").score == 4


def test_naming_one_part_of_a_key_point_is_not_all_of_it(content: Content) -> None:
    """'A cache in front, like Redis' names the first of cache, CDN, shards and replicas: the
    point is credited, but not as fully as an answer that says them, and the rationale says it
    was only named; the same point said whole in other words (a paraphrase) keeps full credit."""
    from app.scoring.signals import DEPTH_FLOOR, depth

    named = "I'd put a cache in front, like Redis, since reads are way more common than writes."
    full = (
        "Reads are a hundred times the writes, so I'd put a Redis cache with LRU eviction in "
        "front of the store for the hot links, serve popular redirects from the CDN edge, shard "
        "the store by key hash and add read replicas."
    )
    point = next(
        p
        for p in content.questions["url-shortener"].key_points
        if p.id == "caching-and-scaling"
    )
    results = {}
    for name, text in (("named", named), ("full", full)):
        (group,) = _groups(content, ["url-shortener"], [[text]], outcome="limit")
        assert group.finding(point.id).standing.value == "covered", name
        results[name] = (depth(group, point), _criterion(_offline(content, [group]), "scaling"))
    assert DEPTH_FLOOR <= results["named"][0] < 1 == results["full"][0]
    named_card, full_card = results["named"][1], results["full"][1]
    assert named_card.score is not None and full_card.score is not None
    assert named_card.score < full_card.score
    assert "only named" in named_card.rationale and "only named" not in full_card.rationale
    # a paraphrase states the whole point: nothing to take off
    question = content.questions["logistic-regression-gd"]
    check = next(p for p in question.key_points if p.id == "verification")
    said = (
        "To trust the update I'd nudge each weight by a tiny amount in both directions and "
        "compare the change in loss with what my formula says."
    )
    (group,) = _groups(content, [question.id], [[said]], outcome="limit")
    assert group.finding(check.id).standing.value == "covered"
    assert depth(group, check) == 1


# ----------------------------------------------------------------- rationale and missed points


def test_the_checklist_rationale_never_contradicts_itself(content: Content) -> None:
    first, second = (q.id for q in content.questions_for(RoundType.behavioral)[:2])
    star = (
        "At my last job I was the tech lead and my task was to own the launch of the checkout "
        "service before the holidays."
    )
    groups = _groups(
        content, [first, second], [[star], ["It went fine in the end, I think."]], outcome="limit"
    )
    result = _offline(content, groups)
    spec = content.rounds[RoundType.behavioral]
    said = {
        s.name
        for s in spec.checklist
        if any(g.finding(s.id, section=True).standing.value == "covered" for g in groups)
    }
    assert {"Situation", "Task"} <= said
    context = _criterion(result, "context").rationale
    assert "Situation" in context and "Task" in context
    for criterion in result.criteria:
        missing = criterion.rationale.lower().partition("not addressed:")[2]
        assert not [name for name in said if name in missing], criterion.rationale


def test_the_summary_never_names_one_criterion_as_both_strongest_and_weakest(
    content: Content,
) -> None:
    gibberish = "asdkj qwpeoi zxmcnv lkjhgf poiuyt mnbvcx qwerty asdfgh zxcvbn"
    result = _offline(content, _groups(content, ["two-sum"], [[gibberish]], outcome="stuck"))
    assert {c.score for c in result.criteria} == {1}
    assert "Strongest" not in result.summary and "at 1/4" in result.summary


def test_missed_points_are_grouped_by_question_and_never_what_was_said(
    content: Content,
) -> None:
    first, second = content.questions["two-sum"], content.questions["top-k-frequent"]
    said = "I would use a hash map from value to index and look up the complement target minus x."
    groups = _groups(
        content, [first.id, second.id], [[said], ["I'd count with a Counter first."]],
        outcome="limit",
    )
    result = _offline(content, groups)
    titles = [m.question_title for m in result.missed_points]
    assert titles[: titles.count(first.title)] == [first.title] * titles.count(first.title)
    assert set(titles) == {first.title, second.title}
    missed = {(m.question_id, m.key_point_id) for m in result.missed_points}
    assert ("two-sum", "hash-complement") not in missed
    assert ("top-k-frequent", "count") not in missed


async def test_the_review_page_groups_missed_points_and_marks_not_assessed(
    client: httpx2.AsyncClient, content: Content
) -> None:
    from tests.helpers import PAGE, browser_sign_up, soup
    from tests.helpers import send_in_browser as send
    from tests.helpers import start_in_browser as start

    token = await browser_sign_up(client)
    question = content.questions["hardest-bug"]
    interview_id = await start(client, token, question_choice="bank", question_id=question.id)
    await send(
        client,
        token,
        interview_id,
        "At my last job I was the tech lead on the payments team, and my task was to move "
        "our checkout service to a new payment provider.",
    )
    finish = await client.post(
        f"/interviews/{interview_id}/finish", headers=PAGE, data={"csrf_token": token}
    )
    page = soup(await client.get(finish.headers["location"], headers=PAGE))
    skipped = page.select(".criterion.not-assessed")
    assert skipped
    for section in skipped:
        assert section.select_one(".score").get_text().strip() == "Not assessed"
        assert section.select_one("meter") is None
    # missed points sit under their question, beside its model outline
    groups = page.select(".by-question")
    assert [g.select_one("h2").get_text() for g in groups] == [question.title]
    assert [h.get_text() for h in groups[0].select("h3")] == [
        "Key points you missed",
        "Model answer outline",
    ]
    assert groups[0].select("ul li"), "the points missed are listed"


# ----------------------------------------------------------------- the LLM grader


def _client(fake: FakeLLM) -> LLMClient:
    # the service's own client, with the grading sampling its settings choose
    settings = make_settings(
        "sqlite://",
        llm="openai",
        openai_base_url=fake.base_url,
        model=MODEL_ID,
        llm_timeout_seconds=5,
        llm_max_retries=0,
    )
    return client_from_settings(settings)


async def _llm_grade(
    content: Content, fake: FakeLLM, question_id: str, said: Sequence[str], **progress
) -> ScoreResult:
    groups = _groups(content, [question_id], [said], **progress)
    spec = content.rounds[content.questions[question_id].round]
    transcript = [TranscriptLine(seq=1, role="interviewer", content=groups[0].topic.prompt)]
    transcript += [
        TranscriptLine(seq=2 * n, role="candidate", content=text)
        for n, text in enumerate(said, start=1)
    ]
    client = _client(fake)
    try:
        return await grade_with_llm(
            client=client,
            prompts=content.prompts,
            rubric=content.rubrics[spec.id],
            spec=spec,
            groups=groups,
            transcript=transcript,
            fallback=_offline(content, groups),
            level="senior",
            role="ML Engineer",
        )
    finally:
        await client.aclose()


SAID = [
    "I would use a hash map from each value to its index and check the complement before "
    "inserting, one pass, O(n) time and O(n) space.",
    "Can I get a hint on the edge cases?",
]


async def test_the_grading_request_asks_for_reasons_first_and_fixes_the_sampling(
    content: Content,
) -> None:
    with FakeLLM() as fake:
        fake.json_responder = grader()
        await _llm_grade(content, fake, "two-sum", SAID)
        (request,) = [b for b in fake.requests if "response_format" in b]
    assert request["temperature"] == 0 and isinstance(request["seed"], int)
    schema = request["response_format"]["json_schema"]["schema"]
    criterion = schema["$defs"]["GradedCriterion"]["properties"]
    order = list(criterion)
    assert order.index("rationale") < order.index("score")
    assert "insufficient_evidence" in json.dumps(criterion["assessment"])
    ids = json.dumps(schema["properties"]["missed_key_points"])
    assert "two-sum/hash-complement" in ids
    system, user = (m["content"] for m in request["messages"])
    assert "senior ML Engineer" in system and "senior ML Engineer" in user
    assert "Paraphrases count; keywords alone do not" in system
    assert "[two-sum/hash-complement]" in user


async def test_insufficient_evidence_is_not_assessed_and_quotes_must_be_answers(
    content: Content,
) -> None:
    def respond(body):
        reply = grader()(body)
        for item in reply["criteria"]:
            item["evidence"] = [
                {"quote": SAID[0][:60], "message_seq": 2},
                {"quote": "Can I get a hint on the edge cases?", "message_seq": 4},
            ]
            if item["criterion_id"] == "testing":
                item.update(assessment="insufficient_evidence", score=2)  # the outcome wins
        reply["missed_key_points"] = ["two-sum/hash-complement", "two-sum/edge-case-tests"]
        return reply

    with FakeLLM() as fake:
        fake.json_responder = respond
        result = await _llm_grade(content, fake, "two-sum", SAID)
    testing = _criterion(result, "testing")
    assert testing.score is None and not testing.evidence
    assert result.overall == 3.0  # the rest are 3; the unassessed one is left out
    for criterion in result.criteria:
        assert all("hint" not in e.quote for e in criterion.evidence), criterion
    assert result.dropped_quotes >= 5
    # the hash map was plainly stated, so it is never listed as missed
    assert [(m.key_point_id, m.question_title) for m in result.missed_points] == [
        ("edge-case-tests", content.questions["two-sum"].title)
    ]


async def test_extreme_grades_get_a_sceptical_second_look_that_never_raises(
    content: Content,
) -> None:
    def score_for(prompt: str) -> int:
        return 4

    def review(criterion_id: str) -> tuple[str, int | None]:
        if criterion_id == "approach_complexity":
            return "keep", None
        if criterion_id == "testing":
            return "insufficient_evidence", None
        if criterion_id == "communication":
            return "lower", 3
        return "lower", 2

    with FakeLLM() as fake:
        fake.json_responder = grader(score_for, review)
        result = await _llm_grade(content, fake, "two-sum", SAID)
        calls = [b for b in fake.requests if "response_format" in b]
    assert len(calls) == 2
    assert calls[1]["temperature"] == 0 and "seed" in calls[1]
    scores = {c.criterion_id: c.score for c in result.criteria}
    assert scores["approach_complexity"] == 4
    assert scores["testing"] is None
    assert scores["communication"] == 3
    assert scores["correctness"] == 2
    assert "Second look: Reviewed correctness." in _criterion(result, "correctness").rationale


async def test_no_second_look_without_an_extreme_grade(content: Content) -> None:
    with FakeLLM() as fake:
        fake.json_responder = grader()  # every criterion 3
        await _llm_grade(content, fake, "two-sum", SAID)
        calls = [b for b in fake.requests if "response_format" in b]
    assert len(calls) == 1


async def test_the_llm_path_counts_both_calls_and_shows_not_assessed(
    database_url: str, fake_llm: FakeLLM
) -> None:
    from tests.conftest import app_client
    from tests.helpers import llm_settings

    fake_llm.json_responder = grader(lambda prompt: 4, lambda cid: ("insufficient_evidence", None))
    async with app_client(llm_settings(database_url, fake_llm)) as api:
        auth = await sign_up(api)
        created = await api.post(
            f"{API}/interviews", json={"round": "coding", "question_id": "two-sum"}, headers=auth
        )
        interview_id = created.json()["id"]
        await api.post(
            f"{API}/interviews/{interview_id}/messages", json={"content": SAID[0]}, headers=auth
        )
        finished = await api.post(f"{API}/interviews/{interview_id}/finish", headers=auth)
    assert finished.status_code == 200, finished.text
    card = finished.json()["scorecard"]
    assert all(c["score"] is None for c in card["criteria"])
    assert card["overall"] == 1.0


def test_parts_labelled_as_such_are_structure(content: Content) -> None:
    question = content.questions_for(RoundType.behavioral)[0].id
    said = [
        "Situation: our payments service timed out before a sale. Task: halve its p99.",
        "What I did: I profiled it and introduced pooling. Result: p99 fell to 400 ms.",
    ]
    result = _offline(content, _groups(content, [question], [said], outcome="limit"))
    assert "2.0 structure markers per answer" in _criterion(result, "communication").rationale


async def test_the_grader_reads_each_answer_with_the_interview_s_assessment_of_it(
    content: Content,
) -> None:
    said = [
        "I'd keep a dict from value to index and check target minus x before storing x.",
        "So the whole thing comes to O(n log n) overall.",
        "- hash map\n- complement\n- one pass",
    ]
    with FakeLLM() as fake:
        fake.json_responder = grader()
        await _llm_grade(content, fake, "two-sum", said)
        request = next(b for b in fake.requests if "response_format" in b)
    system, user = (m["content"] for m in request["messages"])
    assert "grade from the candidate's own words" in system
    readings = user.split("<reading seq=")[1:]
    assert len(readings) == len(said)
    first, second, third = readings
    assert first.startswith('"2">') and "covered: two-sum/hash-complement" in first
    assert "stated wrongly: two-sum/complexity" in second and "O(n log n)" in second
    assert "a list of terms" in third


# ----------------------------------------------------------------- enough evidence to recommend


def test_a_recommendation_needs_enough_of_the_rubric_assessed() -> None:
    from app.scoring.models import MIN_ASSESSED_SHARE, recommend

    assert recommend(3.8) == "strong_hire"
    assert recommend(3.8, assessed_share=0.8) == "hire"  # a strong hire needs every criterion
    assert recommend(2.0, assessed_share=0.8) == "no_hire"
    assert recommend(3.8, assessed_share=MIN_ASSESSED_SHARE - 0.01) == "not_enough_evidence"


def test_wrong_claims_held_weigh_on_the_recommendation() -> None:
    from app.scoring.models import recommend

    assert recommend(3.8, held_wrong=1) == "hire"  # one rules out a strong hire
    assert recommend(3.8, held_wrong=2) == "no_hire"  # two rule out a hire
    assert recommend(2.9, held_wrong=2) == "no_hire"
    assert recommend(1.2, held_wrong=2) == "strong_no_hire"
    # one held again right after the push-back rules out a hire on its own
    assert recommend(3.8, held_wrong=1, defended=1) == "no_hire"


def test_a_solution_never_written_is_no_hire_at_most() -> None:
    from app.scoring.models import recommend

    assert recommend(3.8, no_code=True) == "no_hire"
    assert recommend(1.2, no_code=True) == "strong_no_hire"
    assert recommend(3.8, assessed_share=0.5, no_code=True) == "not_enough_evidence"


def test_two_misconceptions_held_make_no_hire_however_much_else_was_right(
    content: Content,
) -> None:
    """A right build of a k-d tree, then the two classic misconceptions (no backtracking; fine in
    any dimension), never corrected: not a hire, and the summary says why."""
    answers = [
        "It's a binary tree over points where each level splits on a different coordinate, x "
        "then y then x again, at the median, so it's balanced and about log n deep.",
        "For nearest neighbour you walk down comparing one coordinate per level, and whichever "
        "point is in the box you end up in is the nearest one, so a query is just one "
        "root-to-leaf walk and you never need to go back up.",
        "It keeps that logarithmic query time whatever the number of dimensions, so it's a fine "
        "index for 768-dimensional text embeddings too.",
    ]
    result = _offline(content, _groups(content, ["kd-tree"], [answers]))
    assert result.recommendation == "no_hire"
    assert "2 claims were stated wrongly and not corrected" in result.summary


def test_one_short_answer_supports_no_recommendation(content: Content) -> None:
    """One scene-setting answer, then the candidate stops: half the rubric never came up, so
    the scorecard says it has not enough evidence instead of hire or no hire."""
    question = content.questions_for(RoundType.behavioral)[0].id
    scene = (
        "At my last job I was the tech lead on the payments team, and my task was to move "
        "our checkout service to a new payment provider."
    )
    result = _offline(content, _groups(content, [question], [[scene]]))
    assert any(c.score is None for c in result.criteria)
    assert result.recommendation == "not_enough_evidence"


def test_an_interview_ended_after_two_good_answers_is_not_evidence_for_a_hire(
    content: Content,
) -> None:
    """The candidate answers the objective and the labels well, then leaves: what was never
    reached is left out of the mean, so the mean alone says hire; an interviewer writes "not
    enough evidence". The same answers in an interview the interviewer closed stand as graded,
    and a weak start stays a no hire: what was said is evidence against it."""
    from app.scoring.models import MIN_SPOKEN_SHARE, recommend

    assert recommend(3.2, spoken_share=MIN_SPOKEN_SHARE - 0.01) == "not_enough_evidence"
    assert recommend(3.2, spoken_share=MIN_SPOKEN_SHARE) == "hire"
    assert recommend(2.0, spoken_share=0.2) == "no_hire"
    answers = [
        "What is the ranking for? A shopper types a few words and we want the products they "
        "would actually buy near the top, out of fifty million, so purchase intent matters more "
        "than attention.",
        "Labels come from the search logs, a purchase counting more than a click; clicks are "
        "biased by position, so I'd correct with inverse propensity weighting estimated from a "
        "few randomised result pages, and take skipped results above a click as negatives.",
    ]
    ended = _offline(content, _groups(content, ["search-ranking"], [answers]))
    assert ended.overall >= 2.5
    assert ended.recommendation == "not_enough_evidence"
    assert "ended early" in ended.summary
    closed = _offline(content, _groups(content, ["search-ranking"], [answers], outcome="limit"))
    assert "ended early" not in closed.summary


def test_a_hire_ended_early_must_stand_with_the_criteria_never_reached_at_their_lowest(
    content: Content,
) -> None:
    """The mean of the criteria reached leaves out what the candidate chose not to show: two
    good url-shortener answers, then Finish, average above the hire line only without scaling
    and trade-offs. With those at 1 the overall is below it: not enough evidence. A hire that
    holds with them at 1 stands, and the floor applies only to an interview ended early."""
    from app.scoring.models import recommend
    from app.scoring.offline import unshown_floor, unshown_note

    assert recommend(3.0, unshown_floor=2.49) == "not_enough_evidence"
    assert recommend(3.0, unshown_floor=2.6) == "hire"
    assert recommend(2.2, unshown_floor=1.9) == "no_hire"  # what was said is evidence against
    answers = [
        "Shorten a URL and redirect on GET, read heavy: 100M new links a month is about 40 "
        "writes a second, 4,000 reads a second at 100 to 1, and about 3TB over five years.",
        "Each app server takes a block of a thousand ids from a counter and base62-encodes them; "
        "7 characters give 3.5 trillion codes, so no two links share one.",
    ]
    ended = _offline(content, _groups(content, ["url-shortener"], [answers]))
    rubric = content.rubrics[RoundType.system_design]
    assert ended.overall >= 2.5 > unshown_floor(ended.criteria, rubric)
    assert ended.recommendation == "not_enough_evidence"
    assert "not enough evidence for a hire" in ended.summary
    note = unshown_note(ended.criteria)
    assert "before API and data model, Scaling and reliability and Trade-offs came up" in note
    closed = _offline(content, _groups(content, ["url-shortener"], [answers], outcome="limit"))
    assert closed.recommendation != "not_enough_evidence"


def test_a_number_said_in_words_is_a_number() -> None:
    from app.scoring.signals import _NUMBER

    for said in (
        "Booking time went from about ninety seconds to thirty.",
        "Fourteen of the sixteen squads use it now.",
        "Complaints fell by seventy percent.",
    ):
        assert _NUMBER.search(said), said
    assert not _NUMBER.search("I had two meetings with her.")


def test_result_evidence_is_the_story_s_last_figure_and_codes_are_no_figures(
    content: Content,
) -> None:
    """A story's setback comes first and its result last: the numbers signal quotes the last
    sentence with a figure. "A 301 or 302 redirect" names status codes, not an estimate. "I was
    the backend lead" is the situation, not an action of the candidate's."""
    from app.scoring.signals import Inputs, ownership, quantified

    question = content.questions_for(RoundType.behavioral)[0].id
    story = [
        "At my last company I was the backend lead on the billing migration. Releases slipped 3 "
        "times in 2 months and the team was getting frustrated.",
        "I set up a weekly scope review with product and I froze changes after each Wednesday.",
        "After that we shipped the migration three weeks later, with scope changes down from one "
        "a week to one in two months.",
    ]
    groups = _groups(content, [question], [story], outcome="limit")
    spec = content.rounds[RoundType.behavioral]
    reading = quantified(Inputs(groups=groups, spec=spec, criterion_id="result_impact"))
    assert reading is not None and [e.quote for e in reading.evidence] == [story[2]]
    owned = ownership(Inputs(groups=groups, spec=spec, criterion_id="action_ownership"))
    assert owned is not None and owned.evidence
    assert all("I was the backend lead" not in e.quote for e in owned.evidence)
    codes = "The API is a POST that returns the short code, then a 301 or 302 redirect."
    groups = _groups(content, ["url-shortener"], [[codes]], outcome="limit")
    system = content.rounds[RoundType.system_design]
    reading = quantified(Inputs(groups=groups, spec=system, criterion_id="requirements"))
    assert reading is not None and reading.value == 0


def test_a_story_with_no_particulars_scores_no_criterion_above_two(content: Content) -> None:
    """The shape of a good conflict answer read back (no person, product, time or figure but a
    '30 percent' of a relationship) is no evidence that anything happened."""
    from app.scoring.signals import particulars

    generic = [
        "I addressed it directly, privately and early, in a one-on-one conversation where I "
        "listened first and talked about specific behaviours and their effect.",
        "We reached a concrete resolution, a working agreement with clearer roles and a new "
        "process, and it improved the work and the relationship by 30 percent.",
        "I learned a lot about working with different people and next time I would address it "
        "earlier.",
    ]
    told = (
        "At my last company Priya kept rewriting my pull requests after approval. I asked her "
        "for coffee that Friday and we agreed on two review rules; within a month the rewrites "
        "stopped."
    )
    assert particulars(generic) < 2 <= particulars([told])
    result = _offline(content, _groups(content, ["conflict-with-colleague"], [generic]))
    assert all(c.score is None or c.score <= 2 for c in result.criteria)
    assert "No story named a person" in result.summary


def test_a_claim_held_after_the_push_back_is_no_hire_and_the_summary_says_why(
    content: Content,
) -> None:
    transcript = interview(
        content,
        "probability-calibration",
        [
            "When the model says 0.8, about 80 percent of those cases are positive; that is "
            "separate from ranking.",
            "I'd bucket predictions by confidence and plot a reliability diagram, with ECE as the "
            "weighted average gap over the buckets.",
            "To fix it I'd fit temperature scaling on the training set, since that has the most "
            "data.",
            "I still think the training set is fine, more data gives a better estimate.",
        ],
    )
    result = score(content, transcript)
    assert result.recommendation == "no_hire"
    assert "held after the interviewer pushed back on it" in result.summary
