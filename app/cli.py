"""The `onsite` command: serve the app, migrate the database."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from pydantic import ValidationError

from app.config import Settings
from app.content.errors import ContentError
from app.content.loader import load_content
from app.evaluation.report import evaluate, llm_scorer
from app.evaluation.samples import load_samples
from app.evaluation.simulate import as_markdown, interview, score
from app.llm.capabilities import Capabilities
from app.llm.client import LLMError, client_from_settings
from app.llm.probe import probe
from app.services.runtime import runner_from_settings
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
    """Validate content and reach the LLM before serving, so problems show at start-up."""
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


def default_workers(database_url: str) -> int:
    """One process per core: the service keeps no state in memory, so any worker serves any
    request. On SQLite the processes share the file's write lock, which a transaction holds for
    well under a millisecond; an in-memory database cannot be shared, so it gets one process."""
    url = sync_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return 1
    return os.cpu_count() or 1


@cli.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    reload: bool = False,
    workers: Annotated[
        int,
        typer.Option(min=0, help="worker processes; 0: one per CPU core"),
    ] = 0,
) -> None:
    """Serve the app; the default SQLite database is migrated first."""
    settings = _settings()
    preflight(settings)
    if sync_url(settings.database_url).get_backend_name() == "sqlite":
        upgrade(settings.database_url, root=settings.content_dir)
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
    )


@cli.command("eval")
def evaluate_command(
    samples: Annotated[
        Path | None, typer.Option(help="write one sample transcript per round here")
    ] = None,
    llm: Annotated[bool, typer.Option(help="grade with the configured LLM, not offline")] = False,
) -> None:
    """Run simulated candidates (strong, medium, weak, adversarial) and print the figures."""
    settings = _settings()
    content = load_content(settings.content_dir)
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
