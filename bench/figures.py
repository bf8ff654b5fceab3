"""Each figure of docs/PERFORMANCE.md: a function that measures it and returns its rows."""

from __future__ import annotations

import asyncio
import os
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx2

from app.config import PROJECT_ROOT
from app.content.loader import load_content
from app.llm.client import LLMClient
from app.sandbox.backends import HARNESS, Bubblewrap, Limits
from app.sandbox.runner import CodeRunner
from bench.harness import (
    accounts,
    assessment_backends,
    database,
    fake_llm,
    interviews_for,
    median,
    new_interview,
    percentile,
    raw_post,
    service,
    sign_up,
    stats,
)
from bench.repeats import Row
from tests.llama_server import MODEL, Unavailable, llama_server

ANSWER = (
    "I would start from the requirements, then sketch the data model and the API, and "
    "explain the trade-offs of caching and sharding with numbers. "
) * 3


@dataclass
class Scale:
    """How much work each figure does: full runs, or a few seconds for the smoke test."""

    turns: int = 200
    capacity_seconds: float = 15.0
    interviews: int = 50
    open_rate: float = 50.0
    streams: int = 1000
    growth_turns: int = 100
    scoring_answers: int = 30
    code_runs: int = 30
    real_turns: int = 10
    assessed_messages: int = 10_000


QUICK = Scale(
    turns=8,
    capacity_seconds=2.0,
    interviews=5,
    open_rate=10.0,
    streams=10,
    growth_turns=12,
    scoring_answers=4,
    code_runs=2,
    real_turns=1,
    assessed_messages=20,
)


def _client(base: str, limit: int = 100) -> httpx2.AsyncClient:
    limits = httpx2.Limits(max_connections=limit + 10, max_keepalive_connections=limit + 10)
    return httpx2.AsyncClient(base_url=base, timeout=60, limits=limits)


# answers to one interview's question before the next interview: a few answers in a row
# keep each turn on the question (the same answer again and again would soon wrap up the
# interview, whose closing turns are read offline whatever the assessor)
TURNS_PER_INTERVIEW = 3


async def _answer(
    client: httpx2.AsyncClient, auth: dict, interview: str, text: str = ANSWER
) -> tuple[int, float]:
    """Post one answer: its status and its latency in seconds."""
    started = time.perf_counter()
    response = await client.post(
        f"/api/v1/interviews/{interview}/messages", json={"content": text}, headers=auth
    )
    return response.status_code, time.perf_counter() - started


async def _spread_answers(client: httpx2.AsyncClient, auth: dict, count: int) -> list[float]:
    """count answers, a few to each new interview: their latencies in seconds."""
    latencies: list[float] = []
    while len(latencies) < count:
        interview = await new_interview(client, auth)
        turns = min(TURNS_PER_INTERVIEW, count - len(latencies))
        latencies += await _answers(client, auth, interview, turns)
    return latencies


async def _answers(
    client: httpx2.AsyncClient, auth: dict, interview: str, count: int
) -> list[float]:
    """count numbered answers in a row: their latencies in seconds."""
    latencies = []
    for number in range(count):
        status, seconds = await _answer(client, auth, interview, f"{number}: {ANSWER}")
        if status != 201:
            raise RuntimeError(f"turn {number} answered {status}")
        latencies.append(seconds)
    return latencies


async def _direct_latencies(
    llm_base: str, n: int, *, until: str, model: str = "fake-model"
) -> list[float]:
    """The same streamed LLM call the service makes, made directly with the service's own
    client (the `openai` client's request path, as the service uses it): the time to its
    first token (`until="first"`) or to its end (`until="end"`)."""
    messages = [{"role": "system", "content": "x" * 4000}, {"role": "user", "content": ANSWER}]
    client = LLMClient(
        api_key="bench", base_url=llm_base, model=model, timeout=60, max_retries=0
    )
    times = []
    try:
        for _ in range(n + 3):
            started = time.perf_counter()
            first = None
            async for piece in client.stream(messages):
                if first is None and isinstance(piece, str) and piece:
                    first = time.perf_counter() - started
            times.append(first if until == "first" else time.perf_counter() - started)
    finally:
        await client.aclose()
    return times[3:]


async def path_overhead(kind: str, scale: Scale) -> list[Row]:
    """1. Per-turn overhead = turn latency - the same LLM call made directly (LLM at 0 ms)."""
    with database(kind) as url, fake_llm() as llm, service(url, llm_base=llm) as server:
        direct = median(await _direct_latencies(llm, scale.turns, until="end"))
        async with _client(server.base) as client:
            auth = await sign_up(client)
            latencies = await _spread_answers(client, auth, scale.turns + 3)
    overhead = [(t - direct) * 1000 for t in latencies[3:]]
    return [
        (
            f"1. path overhead per turn ({kind})",
            f"p50 {percentile(overhead, 50):.1f} ms, p99 {percentile(overhead, 99):.1f} ms "
            f"(the direct call: {direct * 1000:.1f} ms)",
            "p50 <= 10 ms",
        )
    ]


async def capacity(kind: str, scale: Scale) -> list[Row]:
    """2. Closed loop of N interviews with the LLM at 200 ms; then an open loop at a fixed rate."""
    with database(kind) as url, fake_llm(ttft=0.2) as llm, service(url, llm_base=llm) as server:
        async with _client(server.base, scale.interviews * 2) as client:
            users = await accounts(client, max(1, scale.interviews // 5))
            pairs = await interviews_for(client, users, scale.interviews * 2)
            done = 0
            errors = 0
            deadline = time.perf_counter() + scale.capacity_seconds

            async def loop(auth: dict, interview: str) -> None:
                nonlocal done, errors
                while time.perf_counter() < deadline:
                    status, _ = await _answer(client, auth, interview)
                    done += status == 201
                    errors += status != 201

            started = time.perf_counter()
            await asyncio.gather(*(loop(a, i) for a, i in pairs[: scale.interviews]))
            rate = done / (time.perf_counter() - started)
            ideal = scale.interviews / 0.2
            open_overhead = await _open_loop(client, pairs[scale.interviews :], scale)
    return [
        (
            f"2. capacity, {scale.interviews} interviews closed loop, LLM 200 ms ({kind})",
            f"{rate:.0f} turns/s of {ideal:.0f} ideal, {errors} errors",
            ">= 100 turns/s",
        ),
        (
            f"2. open loop at {scale.open_rate:.0f} turns/s ({kind})",
            f"overhead p99 {open_overhead:.1f} ms",
            "p99 <= 25 ms",
        ),
    ]


async def _open_loop(
    client: httpx2.AsyncClient, pairs: list[tuple[dict, str]], scale: Scale
) -> float:
    """Send turns at a fixed arrival rate to idle interviews; return the overhead p99 in ms."""
    idle = list(pairs)
    overheads: list[float] = []
    tasks = []

    async def turn(pair: tuple[dict, str]) -> None:
        status, seconds = await _answer(client, *pair)
        if status == 201:
            overheads.append((seconds - 0.2) * 1000)
        idle.append(pair)

    count = int(scale.open_rate * scale.capacity_seconds)
    start = time.perf_counter()
    for n in range(count):
        await asyncio.sleep(max(0.0, start + n / scale.open_rate - time.perf_counter()))
        if idle:
            tasks.append(asyncio.create_task(turn(idle.pop(0))))
    await asyncio.gather(*tasks)
    return percentile(overheads, 99)


async def first_token(kind: str, scale: Scale) -> list[Row]:
    """3. Time-to-first-token overhead: first SSE token at the client - first LLM token; with
    the offline assessment, and with the LLM's assessment (one structured call before the
    reply's stream starts: its whole time is added to the first token)."""
    rows = []
    for assessor in ("offline", "llm"):
        with (
            database(kind) as url,
            fake_llm() as llm,
            service(url, llm_base=llm, ONSITE_ASSESSOR=assessor) as server,
        ):
            direct = median(await _direct_latencies(llm, scale.turns, until="first"))
            async with _client(server.base) as client:
                auth = await sign_up(client)
                firsts = await _first_tokens(client, auth, scale.turns + 3)
            # every answer to a question is assessed by this backend: a fallback to the
            # offline reading would measure a failed call instead (answers outside a
            # question, such as the introduction, are read offline by design)
            backends = assessment_backends(url)
            if backends.count(assessor) < scale.turns:
                raise RuntimeError(f"answers assessed by {backends}, expected {assessor!r}")
        overhead = [(t - direct) * 1000 for t in firsts[3:]]
        rows.append(
            (
                f"3. time-to-first-token overhead, {assessor} assessment ({kind})",
                f"p50 {percentile(overhead, 50):.1f} ms, p99 {percentile(overhead, 99):.1f} ms "
                f"(the direct call's first token: {direct * 1000:.1f} ms)",
                "p50 <= 10 ms" if assessor == "offline" else "reported",
            )
        )
    return rows


async def _first_tokens(client: httpx2.AsyncClient, auth: dict, count: int) -> list[float]:
    """Seconds from sending an answer to the reply's first streamed token, for count turns
    over as many interviews as it takes."""
    firsts = []
    for turn in range(count):
        if turn % TURNS_PER_INTERVIEW == 0:
            interview = await new_interview(client, auth)
        started = time.perf_counter()
        async with client.stream(
            "POST",
            f"/api/v1/interviews/{interview}/messages",
            json={"content": ANSWER},
            headers={**auth, "Accept": "text/event-stream"},
        ) as response:
            first = None
            async for line in response.aiter_lines():  # read to the end of the turn
                if first is None and line.startswith("event: token"):
                    first = time.perf_counter() - started
            assert first is not None, "the turn streamed no token"
            firsts.append(first)
    return firsts


def _rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def open_streams(kind: str, scale: Scale) -> list[Row]:
    """4. Many interviews streaming at once at 20 tokens/s: errors, loop lag, memory."""
    with (
        database(kind) as url,
        fake_llm(tokens_per_second=20, words=60) as llm,
        service(url, llm_base=llm, workers=1, ONSITE_DATABASE_POOL_SIZE="20") as server,
    ):
        async with _client(server.base, scale.streams) as client:
            users = await accounts(client, max(1, scale.streams // 20))
            pairs = await interviews_for(client, users, scale.streams)
            before = _rss_kb(server.process.pid)
            peak = before
            errors = dropped = 0
            lags: list[float] = []
            streaming = True
            admitted: list[float] = []  # seconds until the answer was stored (the first byte)

            async def stream(auth: dict, interview: str) -> None:
                nonlocal errors
                try:
                    response, waited = await raw_post(
                        server.base,
                        f"/api/v1/interviews/{interview}/messages",
                        {"content": ANSWER},
                        {**auth, "Accept": "text/event-stream"},
                    )
                    stored = response.startswith(b"HTTP/1.1 201 ")
                    errors += not (stored and b"event: done" in response)
                    if stored:
                        admitted.append(waited)
                except OSError:
                    errors += 1

            async def probe() -> None:
                nonlocal peak, dropped
                while streaming:
                    started = time.perf_counter()
                    try:
                        await client.get("/healthz")
                    except httpx2.HTTPError:
                        dropped += 1  # the server dropped a probe: an error like any other
                    lags.append((time.perf_counter() - started) * 1000)
                    peak = max(peak, _rss_kb(server.process.pid))
                    await asyncio.sleep(0.05)

            prober = asyncio.create_task(probe())
            await asyncio.gather(*(stream(a, i) for a, i in pairs))
            streaming = False
            await prober
    per_stream = (peak - before) / scale.streams
    return [
        (
            f"4. {scale.streams} concurrent streams at 20 tokens/s ({kind})",
            f"{errors + dropped} errors ({dropped} of them dropped probes), /healthz p99 "
            f"{percentile(lags, 99):.0f} ms during the load, "
            f"{per_stream:.0f} KiB per stream; answers stored after p50 "
            f"{percentile(admitted, 50) if admitted else 0:.1f} s, the last "
            f"{max(admitted, default=0):.1f} s",
            "0 errors",
        )
    ]


async def prompt_growth(kind: str, scale: Scale) -> list[Row]:
    """5. Prompt tokens at turns 10, 50, 100 and the whole interview against full history."""
    with database(kind) as url, fake_llm() as llm, service(url, llm_base=llm) as server:
        async with _client(server.base) as client:
            auth = await sign_up(client)
            interview = await new_interview(client, auth)
            await _answers(client, auth, interview, scale.growth_turns)
            messages = (await client.get(f"/api/v1/interviews/{interview}", headers=auth)).json()[
                "messages"
            ]
        sent = stats(llm)["prompt_tokens"]
    history = [len(m["content"]) // 4 + 1 for m in messages]
    prefix = sent[0] - sum(history[:2])
    baseline = [prefix + sum(history[: 2 * (t + 1)]) for t in range(len(sent))]
    marks = [t for t in (10, 50, 100) if t <= len(sent)] or [len(sent)]
    at = ", ".join(f"turn {t}: {sent[t - 1]}" for t in marks)
    ratio = sent[marks[-1] - 1] / sent[min(10, len(sent)) - 1]
    share = sum(sent) / sum(baseline)
    return [
        (
            f"5. prompt tokens ({kind})",
            f"{ratio:.2f}x turn 10's prompt at turn {marks[-1]} ({at})",
            "turn 100 <= 1.5x turn 10",
        ),
        (
            f"5. whole interview vs full history ({kind})",
            f"{share:.0%} ({sum(sent)} vs {sum(baseline)} tokens)",
            "<= 40%",
        ),
    ]


async def offline_path(kind: str, scale: Scale) -> list[Row]:
    """6. The offline interviewer: turn latency, and scoring a long interview."""
    with database(kind) as url, service(url) as server:
        async with _client(server.base) as client:
            auth = await sign_up(client)
            interview = await new_interview(client, auth)
            latencies = [t * 1000 for t in await _answers(client, auth, interview, scale.turns + 3)]
            long = await new_interview(client, auth, round="system_design", question=None)
            await _answers(client, auth, long, scale.scoring_answers)
            started = time.perf_counter()
            finished = await client.post(f"/api/v1/interviews/{long}/finish", headers=auth)
            scoring = (time.perf_counter() - started) * 1000
            messages = len(finished.json()["messages"])
    return [
        (
            f"6. offline turn latency ({kind})",
            f"p50 {percentile(latencies[3:], 50):.1f} ms, p99 "
            f"{percentile(latencies[3:], 99):.1f} ms",
            "p99 <= 20 ms",
        ),
        (
            f"6. offline scoring, {messages} messages ({kind})",
            f"{scoring:.0f} ms",
            "<= 200 ms for 60 messages",
        ),
    ]


async def llm_scoring(kind: str, scale: Scale) -> list[Row]:
    """7. LLM calls and tokens per scorecard (one structured call grades every criterion)."""
    with database(kind) as url, fake_llm() as llm, service(url, llm_base=llm) as server:
        async with _client(server.base) as client:
            auth = await sign_up(client)
            interview = await new_interview(client, auth, round="ml_theory", question=None)
            await _answers(client, auth, interview, scale.scoring_answers)
            before = stats(llm)
            started = time.perf_counter()
            await client.post(f"/api/v1/interviews/{interview}/finish", headers=auth)
            elapsed = (time.perf_counter() - started) * 1000
            after = stats(llm)
    calls = after["json_calls"] - before["json_calls"]
    tokens = sum(after["prompt_tokens"][len(before["prompt_tokens"]) :])
    return [
        (
            f"7. LLM scoring ({kind})",
            f"{calls} call(s), {tokens} prompt tokens, {elapsed:.0f} ms with the fake LLM",
            "one structured call",
        )
    ]


# a real turn's reply is bounded like a short spoken turn: its time is the model's, mostly
REAL_REPLY_TOKENS = 64


async def real_model(kind: str, scale: Scale) -> list[Row]:
    """9. A turn's time with a real model (SmolLM2-135M on llama-cpp-python) beside the fake's,
    so the path's overhead (figure 1) is seen against a real model's time."""
    if kind != "sqlite":  # the model's time dwarfs any database's: one is enough
        return []
    name = "9. turn with a real model vs the fake (sqlite)"
    try:
        with (
            tempfile.TemporaryDirectory() as folder,
            llama_server(Path(folder) / "llama.log") as real,
            database(kind) as url,
            service(
                url,
                llm_base=real.base_url,
                model=MODEL,
                ONSITE_LLM_VOICE_MAX_TOKENS=str(REAL_REPLY_TOKENS),
                ONSITE_LLM_TIMEOUT_SECONDS="600",
            ) as server,
        ):
            real_turns = await _turn_times(server.base, scale.real_turns + 1)
    except Unavailable as error:
        return [(name, f"not measured: {error}", "informational")]
    with database(kind) as url, fake_llm() as llm, service(url, llm_base=llm) as server:
        direct = median(await _direct_latencies(llm, scale.real_turns, until="end"))
        fake_turns = await _turn_times(server.base, scale.real_turns + 3)
    real_p50 = percentile(real_turns[1:], 50) * 1000  # the first one loads the prompt's prefix
    fake_p50 = percentile(fake_turns[3:], 50) * 1000
    overhead = fake_p50 - direct * 1000
    return [
        (
            name,
            f"real p50 {real_p50:.0f} ms ({REAL_REPLY_TOKENS}-token replies), fake p50 "
            f"{fake_p50:.1f} ms; the path's overhead {overhead:.1f} ms is "
            f"{overhead / real_p50 * 100:.2f}% of a real turn",
            "informational",
        )
    ]


async def _turn_times(base: str, count: int) -> list[float]:
    # a real model on a busy machine can take long: its time is measured, never cut short
    async with httpx2.AsyncClient(base_url=base, timeout=600) as client:
        auth = await sign_up(client)
        interview = await new_interview(client, auth)
        return await _answers(client, auth, interview, count)


class _Direct:
    """No sandbox, no limits: the same harness run straight, to price the sandbox itself."""

    name = "direct"
    uid_base = 0
    needs_workdir = True

    def __init__(self, python: str):
        self.python = python

    def command(self, *, slot: int, limits: Limits) -> list[str]:
        return [self.python, "-I", "-B", str(HARNESS)]

    def missing(self) -> str | None:
        return None


async def _overheads(backend, question, runs: int) -> tuple[list[float], list[float]]:
    """Per run: wall time, and wall time minus the tests' own time (ms)."""
    runner = CodeRunner(backend=backend, workers=1)
    spec = question.code
    walls, overheads = [], []
    for _ in range(runs + 1):
        report = await runner.run(code=spec.solution, spec=spec, tests=spec.tests)
        assert report.status == "passed", report
        walls.append(report.wall_ms)
        overheads.append(report.wall_ms - sum(t.runtime_ms or 0 for t in report.tests))
    return walls[1:], overheads[1:]  # the first run warms the page cache


async def code_runs(kind: str, scale: Scale) -> list[Row]:
    """8. The code sandbox: what a run costs beyond the code's own time."""
    if kind != "sqlite":  # the sandbox does not touch the database: measured once
        return []
    content = load_content(PROJECT_ROOT)
    sandbox = Bubblewrap()
    if await CodeRunner(backend=sandbox).check():
        return [("8. code sandbox", "bubblewrap is not usable here", "<= 100 ms overhead")]
    rows = []
    for question_id, label in (("two-sum", "coding"), ("kmeans-from-scratch", "ML coding")):
        question = content.questions[question_id]
        _, boxed = await _overheads(sandbox, question, scale.code_runs)
        _, bare = await _overheads(_Direct(sandbox.python), question, scale.code_runs)
        rows.append(
            (
                f"8. code run overhead, {label} ({question_id})",
                f"sandboxed p50 {median(boxed):.0f} ms, p99 {percentile(boxed, 99):.0f} ms; "
                f"unsandboxed p50 {median(bare):.0f} ms; sandbox alone "
                f"{median(boxed) - median(bare):.0f} ms",
                "<= 100 ms beyond the code's own time",
            )
        )
    return rows


def _eval_messages() -> list[tuple[str, str]]:
    """(question id, message) for every labelled answer under evals/answers, split by message."""
    import yaml

    found = []
    for path in sorted((PROJECT_ROOT / "evals" / "answers").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key, value in data.items():
            if key == "question":
                continue
            for text in value if isinstance(value, list) else [value]:
                if isinstance(text, str) and text.strip():
                    found.append((data["question"], text))
    return found


async def offline_assessment(kind: str, scale: Scale) -> list[Row]:
    """10. The offline assessor on every labelled answer: time per candidate message (no I/O),
    alone, and as the twentieth message on one question (the service reads the question's
    earlier messages with each one)."""
    from app.engine.assessor import assess
    from app.engine.evidence import answer_units
    from app.engine.topics import bank_topic

    content = load_content(PROJECT_ROOT)
    messages = _eval_messages()[: scale.assessed_messages]
    topics = {}
    timings = []
    later = []
    for _ in range(3 if scale.assessed_messages > 100 else 1):
        earlier: dict[str, list[str]] = {}  # per round: a long answer in many messages
        for question_id, text in messages:
            question = content.questions[question_id]
            spec = content.rounds[question.round]
            topic = topics.setdefault(question_id, bank_topic(question, spec))
            said_before = earlier.setdefault(question.round, [])
            before = said_before[-19:]
            answer_units.cache_clear()  # the message alone: nothing read before
            started = time.perf_counter()
            assess(topic, spec, text)
            timings.append((time.perf_counter() - started) * 1000)
            # as in an interview: the earlier messages were read on their own turns
            for said in before:
                answer_units(said)
            started = time.perf_counter()
            assess(topic, spec, text, earlier=before)
            if len(before) == 19:
                later.append((time.perf_counter() - started) * 1000)
            said_before.append(text)
    words = median([len(text.split()) for _, text in messages])
    return [
        (
            f"10. offline assessment per message ({kind})",
            f"p50 {percentile(timings, 50):.1f} ms, p99 {percentile(timings, 99):.1f} ms "
            f"({len(messages)} messages, median {words:.0f} words)",
            "p50 <= 5 ms",
        ),
        (
            f"10. the same, after 19 earlier messages on one question ({kind})",
            f"p50 {percentile(later, 50):.1f} ms, p99 {percentile(later, 99):.1f} ms "
            f"({len(later)} messages)",
            "p50 <= 5 ms",
        ),
    ]


FIGURES = [
    path_overhead,
    capacity,
    first_token,
    open_streams,
    prompt_growth,
    offline_path,
    llm_scoring,
    code_runs,
    real_model,
    offline_assessment,
]


def seed() -> None:
    """Deterministic choices where the service makes random ones in-process."""
    random.seed(int(os.environ.get("ONSITE_BENCH_SEED", "7")))
