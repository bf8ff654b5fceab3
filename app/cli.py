"""The `onsite` command: serve the app, migrate the database, evaluate."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import os
import secrets
from pathlib import Path
from typing import Annotated

import sqlalchemy as sa
import typer
import uvicorn
from pydantic import ValidationError

from app.api.routes.health import is_behind
from app.config import DEV_SECRET, Settings
from app.content.errors import ContentError
from app.content.loader import load_content
from app.content.models import Question, RoundType
from app.evaluation import conversation
from app.evaluation.conversation import run_scenarios
from app.evaluation.llm_candidate import LEVELS, levels_in_order, play_all
from app.evaluation.llm_candidate import table as llm_candidate_table
from app.evaluation.report import evaluate, llm_scorer
from app.evaluation.samples import load_samples
from app.evaluation.scenarios import load_scenarios
from app.evaluation.service import LocalService
from app.evaluation.simulate import as_markdown, interview, score
from app.http.errors import needs_migration
from app.llm.audio import synthesizer_from_settings, transcriber_from_settings
from app.llm.capabilities import Capabilities
from app.llm.client import LLMError, client_from_settings
from app.llm.probe import probe
from app.services.runtime import runner_from_settings
from app.services.speech_checks import ServerCheck, speech_checks
from app.store.db import sync_url
from app.store.migrate import upgrade

cli = typer.Typer(
    help="onsite: mock interviews for ML, research and software roles.",
    no_args_is_help=True,
    add_completion=False,
)


def _fail(message: str) -> None:
    typer.secho(f"onsite: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code=1)


async def _check_llm(settings: Settings) -> Capabilities:
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else ""
    if not key and not settings.openai_base_url:
        raise LLMError(
            "ONSITE_LLM=openai but OPENAI_API_KEY is not set (set it, or set "
            "OPENAI_BASE_URL for a local server such as Ollama)",
            retryable=False,
        )
    # no retries: a server that is down says so at once; the timeout is the settings' own, as a
    # local model may take a while over its first requests (loading, building a grammar)
    client = client_from_settings(
        settings, timeout=max(settings.llm_timeout_seconds, 10), max_retries=0
    )
    try:
        await client.check()
        return await probe(client)
    finally:
        await client.aclose()


def _pass_on(settings: Settings, found: Capabilities) -> Capabilities:
    """What the worker processes start with: the settings' pinned format if any, else the
    probed one; refused parameters from both. Workers read it from the environment."""
    used = Capabilities(
        structured=found.structured
        if settings.llm_structured_output == "auto"
        else settings.llm_structured_output,
        rejected=found.rejected | settings.llm_rejected_params,
        confirmed=True,
    )
    os.environ["ONSITE_LLM_STRUCTURED_OUTPUT"] = used.structured
    os.environ["ONSITE_LLM_REJECTED_PARAMS"] = json.dumps(sorted(used.rejected))
    return used


def preflight(settings: Settings) -> None:
    """Validate content and reach the LLM and the speech servers before serving, so problems
    show at start-up (a speech server's is reported, not fatal)."""
    try:
        load_content(settings.content_dir)
    except ContentError as error:
        _fail(f"content is invalid: {error}")
    if settings.llm == "openai":
        where = settings.openai_base_url or "api.openai.com"
        try:
            found = asyncio.run(_check_llm(settings))
        except LLMError as error:
            _fail(f"the LLM at {where} (model {settings.model}) is not usable: {error}")
            raise
        used = _pass_on(settings, found)
        pinned = "" if settings.llm_structured_output == "auto" else " (pinned by settings)"
        typer.echo(f"LLM: {settings.model} at {where}; {used.describe()}{pinned}")
    else:
        typer.echo("LLM: offline interviewer (set ONSITE_LLM=openai to use a model)")
    for check in asyncio.run(_check_speech(settings)):
        if check.available:
            typer.echo(check.describe())
        else:  # not fatal: answers can be typed, and the browser's own voice speaks
            typer.secho(f"onsite: {check.describe()}", fg=typer.colors.RED, err=True)


async def _check_speech(settings: Settings) -> list[ServerCheck]:
    transcriber = transcriber_from_settings(settings)
    synthesizer = synthesizer_from_settings(settings)
    checks = speech_checks(
        transcriber=transcriber,
        stt_model=settings.stt_model,
        synthesizer=synthesizer,
        tts_model=settings.tts_model,
    )
    try:
        return await checks.run(log_changes=False)
    finally:
        for client in (transcriber, synthesizer):
            if client is not None:
                await client.aclose()


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(e["msg"].removeprefix("Value error, ") for e in error.errors())
        _fail(f"invalid settings: {problems}")
        raise


@cli.command()
def migrate() -> None:
    """Upgrade the database (ONSITE_DATABASE_URL) to the newest schema."""
    settings = _settings()
    upgrade(settings.database_url, root=settings.content_dir)
    typer.echo(f"database at {sync_url(settings.database_url).render_as_string()} is up to date")


def usable_cpus() -> int:
    """The CPUs this process may run on (a container's or taskset's share, not the host's)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


# how long a worker may take to answer the supervisor (its start-up included) before it is
# restarted as hung
WORKER_START_SECONDS = 60


def default_workers(database_url: str) -> int:
    """One process per usable CPU: the service keeps no state in memory, so any worker serves
    any request. On SQLite the processes share the file's write lock, which a transaction holds
    for well under a millisecond; an in-memory database cannot be shared, so it gets one."""
    url = sync_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return 1
    return usable_cpus()


def is_loopback(host: str) -> bool:
    """True when only this machine can reach the address."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


def signing_key(settings: Settings, host: str) -> str | None:
    """The key a server others can reach signs tokens with, when it would use the public
    development key: one generated once and kept beside the SQLite database (0600), so it
    survives restarts; None when the settings' key serves (loopback, or a key was set).

    With PostgreSQL there is no such place every server shares (several hosts would each make
    their own and refuse each other's tokens): serving it beyond loopback needs
    ONSITE_SECRET_KEY."""
    if settings.secret_key.get_secret_value() != DEV_SECRET or is_loopback(host):
        return None
    url = sync_url(settings.database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        _fail(
            f"serving on {host} with the public development signing key would let anyone forge "
            "a sign-in; set ONSITE_SECRET_KEY to a long random secret shared by every server "
            "(e.g. `python3 -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
        )
    return _kept_key(Path(str(url.database)).resolve().parent / "secret_key")


def _kept_key(path: Path) -> str:
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text().strip()
        if len(key) < 32:
            _fail(f"{path} holds a signing key shorter than 32 characters; delete it or fix it")
        return key
    key = secrets.token_urlsafe(48)
    with os.fdopen(descriptor, "w") as file:
        file.write(key + "\n")
    return key


def _needs_migration(settings: Settings) -> bool:
    engine = sa.create_engine(sync_url(settings.database_url))
    try:
        with engine.connect() as connection:
            current = connection.execute(sa.text("SELECT version_num FROM alembic_version"))
            return is_behind(current.scalar(), root=settings.content_dir)
    except sa.exc.DBAPIError as error:
        return needs_migration(error)  # anything else shows in /healthz with its reason
    finally:
        engine.dispose()


@cli.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    reload: bool = False,
    workers: Annotated[
        int,
        typer.Option(min=0, help="worker processes; 0: one per CPU this process may use"),
    ] = 0,
) -> None:
    """Serve the app; the default SQLite database is migrated first."""
    settings = _settings()
    key = signing_key(settings, host)
    if key is not None:
        os.environ["ONSITE_SECRET_KEY"] = key  # the worker processes read their settings anew
        where = Path(sync_url(settings.database_url).database or "").resolve().parent
        typer.echo(f"signing key: generated once, kept in {where / 'secret_key'}")
    preflight(settings)
    if sync_url(settings.database_url).get_backend_name() == "sqlite":
        upgrade(settings.database_url, root=settings.content_dir)
    elif _needs_migration(settings):
        typer.secho(
            "onsite: the database needs `onsite migrate`: until then /healthz and every "
            "request answer 503 needs_migration",
            fg=typer.colors.RED,
            err=True,
        )
    runner = runner_from_settings(settings)
    reason = asyncio.run(runner.check())
    typer.echo(
        f"code execution: {runner.mode}"
        + (" (NO ISOLATION: only for yourself)" if runner.mode == "unsafe-local" else "")
        if reason is None
        else f"code execution is disabled: {reason}"
    )
    typer.echo(f"onsite is serving at http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
    processes = 1 if reload else workers or default_workers(settings.database_url)
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        reload=reload,
        workers=processes,
        # slow clients: headers (app.server) and bodies (app.api.bodies) have time limits, an
        # idle keep-alive connection closes, and h11 (when httptools is missing) buffers at
        # most 16 KiB of an incomplete request line and headers
        http="app.server:SlowClientProtocol",
        timeout_keep_alive=settings.keep_alive_seconds,
        h11_max_incomplete_event_size=16 * 1024,
        # a worker answers the supervisor's pings only once it has imported the app (a few
        # seconds, more on a busy machine); uvicorn's 5 s kills it and starts another, which
        # starts no faster: every worker of a loaded two-core box was killed once at start-up
        timeout_worker_healthcheck=WORKER_START_SECONDS,
    )


@cli.command("eval")
def evaluate_command(
    samples: Annotated[
        Path | None, typer.Option(help="write one sample transcript per round here")
    ] = None,
    llm: Annotated[bool, typer.Option(help="grade with the configured LLM, not offline")] = False,
    scenarios: Annotated[
        bool, typer.Option(help="run the conversation scenarios in evals/scenarios/")
    ] = False,
    llm_candidate: Annotated[
        bool,
        typer.Option(help="the configured LLM plays candidates; an LLM judges the interviewer"),
    ] = False,
    only: Annotated[
        str | None,
        typer.Option(help="one scenario (--scenarios), or a question or round (--llm-candidate)"),
    ] = None,
    levels: Annotated[
        str, typer.Option(help="candidate levels for --llm-candidate, comma-separated")
    ] = ",".join(LEVELS),
    strict: Annotated[
        bool, typer.Option(help="exit non-zero unless every scenario passes")
    ] = False,
) -> None:
    """Evaluate the scorer on labelled answers (default), the interviewer on conversation
    scenarios (--scenarios), or the interviewer against LLM-played candidates (--llm-candidate)."""
    settings = _settings()
    content = load_content(settings.content_dir)
    if scenarios:
        _run_scenarios(settings, content, only=only, strict=strict)
        return
    if llm_candidate:
        _run_llm_candidates(settings, content, only=only, levels=levels)
        return
    labelled = load_samples(settings.content_dir, content)
    if llm:
        report = asyncio.run(_evaluate_with_llm(settings, content, labelled))
    else:
        report = asyncio.run(evaluate(content, labelled))
    grader = f"LLM {settings.model}" if llm else "offline scorer"
    typer.echo(
        f"{len(labelled)} labelled questions, graded by the {grader}; mean overall "
        "score (1-4) per level:\n"
    )
    typer.echo(report.table())
    typer.echo(
        f"\npairs ranked correctly: {report.pair_accuracy:.0%} (target >= 90%); "
        f"largest score change from injection: {report.max_injection_gain:+.2f} "
        f"(target <= 0); stuffing below medium: {report.stuffing_below_medium:.0%}"
    )
    if samples is not None:
        _write_samples(samples, content, labelled)


def _run_scenarios(settings: Settings, content, *, only: str | None, strict: bool) -> None:
    try:
        chosen = load_scenarios(settings.content_dir, content)
    except ContentError as error:
        _fail(f"a scenario is invalid: {error}")
        raise
    if only is not None:
        chosen = [s for s in chosen if s.name == only]
        if not chosen:
            _fail(f"no scenario named {only!r} in {settings.content_dir / 'evals' / 'scenarios'}")

    async def run():
        # the offline interviewer: scenarios check the director's moves, not an LLM's wording
        async with LocalService(settings.model_copy(update={"llm": "offline"})) as service:
            return await run_scenarios(service, chosen)

    results = asyncio.run(run())
    typer.echo(f"{len(results)} conversation scenarios through the offline interviewer:\n")
    typer.echo(conversation.table(results))
    typer.echo(conversation.details(results))
    if strict and not all(r.passed for r in results):
        raise typer.Exit(code=1)


def _run_llm_candidates(settings: Settings, content, *, only: str | None, levels: str) -> None:
    chosen_levels = [level.strip() for level in levels.split(",") if level.strip()]
    unknown = [level for level in chosen_levels if level not in LEVELS]
    if unknown or not chosen_levels:
        _fail(f"unknown level(s) {', '.join(unknown) or '(none)'}; use {', '.join(LEVELS)}")
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else ""
    if not key and not settings.openai_base_url:
        _fail("--llm-candidate needs an LLM: set OPENAI_API_KEY (or OPENAI_BASE_URL)")
    questions = _questions_for(settings, content, only)

    async def run():
        client = client_from_settings(settings)
        try:
            async with LocalService(settings) as service:
                return await play_all(service, client, content, questions, chosen_levels)
        finally:
            await client.aclose()

    played = asyncio.run(run())
    voice = f"LLM {settings.model}" if settings.llm == "openai" else "offline"
    typer.echo(
        f"{len(played)} interviews, candidates played and judged by {settings.model}; "
        f"the interviewer's voice: {voice}\n"
    )
    typer.echo(llm_candidate_table(played))
    ordered = levels_in_order(played)
    typer.echo(f"\nquestions whose scores rank strong >= medium >= weak: {ordered:.0%}")


def _questions_for(settings: Settings, content, only: str | None) -> list[Question]:
    """One labelled question per round by default; one question, or a round's, with --only."""
    if only is not None:
        if only in content.questions:
            return [content.questions[only]]
        try:
            round_type = RoundType(only)
        except ValueError:
            _fail(f"--only {only!r} is neither a question id nor a round")
            raise
        ids = [s.question for s in load_samples(settings.content_dir, content)]
        picked = [content.questions[i] for i in ids if content.questions[i].round == round_type]
        return picked[:1] or content.questions_for(round_type)[:1]
    firsts: dict[RoundType, Question] = {}
    for sample in load_samples(settings.content_dir, content):
        question = content.questions[sample.question]
        firsts.setdefault(question.round, question)
    return list(firsts.values())


async def _evaluate_with_llm(settings: Settings, content, labelled):
    client = client_from_settings(settings)
    try:
        return await evaluate(content, labelled, llm_scorer(client))
    finally:
        await client.aclose()


def _write_samples(folder: Path, content, labelled) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    seen = set()
    for sample in labelled:
        round_id = content.questions[sample.question].round.value
        if round_id in seen:
            continue
        seen.add(round_id)
        transcript = interview(content, sample.question, sample.strong)
        (folder / f"{round_id}.md").write_text(as_markdown(transcript, score(content, transcript)))
    typer.echo(f"wrote {len(seen)} sample transcripts to {folder}")


def main() -> None:
    """Console-script entry point."""
    cli()

if __name__ == "__main__":
    main()
