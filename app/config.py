"""One Settings object for the whole service, read from the environment."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "onsite-development-secret-change-me"


class Settings(BaseSettings):
    """Service configuration; every field can be set as ONSITE_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="ONSITE_", extra="ignore", populate_by_name=True)

    env: Literal["development", "production", "test"] = "development"
    database_url: str = "sqlite:///./onsite.db"
    # connections kept open per process; 0 opens one per use (e.g. behind PgBouncer)
    database_pool_size: int = Field(default=10, ge=0, le=200)
    # seconds a request waits for a pooled connection before it is shed with a 503 + Retry-After:
    # long enough for a burst one process clears (1,000 answers at once took ~11 s on two
    # cores), short of proxies' usual 60 s; SQLAlchemy's and HikariCP's default too
    database_pool_timeout: float = Field(default=30.0, gt=0, le=120)
    # seconds a pooled PostgreSQL connection may rest before it is pinged on checkout (0: always)
    database_ping_after_idle: float = Field(default=1.0, ge=0, le=3600)
    content_dir: Path = PROJECT_ROOT
    llm: Literal["offline", "openai"] = "offline"
    model: str = "gpt-4o-mini"
    # with an LLM: who assesses each answer (one structured call a turn, or the offline reading)
    # and on which model (a cheaper one will do); the offline reading stands in when it fails
    assessor: Literal["llm", "offline"] = "llm"
    assess_model: str | None = None
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "ONSITE_OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_BASE_URL", "ONSITE_OPENAI_BASE_URL")
    )
    llm_timeout_seconds: float = Field(default=60.0, gt=0)
    llm_max_retries: int = Field(default=2, ge=0, le=10)
    context_token_budget: int = Field(default=3000, ge=500)
    # which structured output the server is asked for first (app/llm/formats.py); "auto" starts
    # with the strictest, json_schema; any format steps down to the next on a refusal.
    # `onsite serve` probes the server and passes what it found to its worker processes here,
    # so each starts with a format that works.
    llm_structured_output: Literal[
        "auto", "json_schema", "json_object_schema", "json_object", "text"
    ] = "auto"
    # sampling parameters the server refused (probed by `onsite serve`, or learnt at run time)
    llm_rejected_params: set[Literal["temperature", "max_tokens", "seed"]] = Field(
        default_factory=set
    )
    # sampling per kind of call. The interviewer's voice varies its wording; assessment and
    # grading are judgements, so they are as repeatable as the server allows: temperature 0
    # and a fixed seed (a server that ignores the seed is still deterministic at temperature 0
    # up to batching). max_tokens bounds a reply's time and cost: a spoken turn is a few
    # sentences, a per-turn assessment a short object, a grade one object per criterion.
    llm_voice_temperature: float | None = Field(default=0.7, ge=0, le=2)
    llm_voice_max_tokens: int | None = Field(default=400, ge=1)
    llm_voice_seed: int | None = None
    llm_assessment_temperature: float | None = Field(default=0.0, ge=0, le=2)
    llm_assessment_max_tokens: int | None = Field(default=900, ge=1)
    llm_assessment_seed: int | None = 7
    llm_grading_temperature: float | None = Field(default=0.0, ge=0, le=2)
    llm_grading_max_tokens: int | None = Field(default=2500, ge=1)
    llm_grading_seed: int | None = 7
    # the question written about a project of the candidate's CV when an interview starts: one
    # object of a few key points, follow-ups and hints
    llm_tailoring_temperature: float | None = Field(default=0.3, ge=0, le=2)
    llm_tailoring_max_tokens: int | None = Field(default=1500, ge=1)
    llm_tailoring_seed: int | None = None
    # pause between words of the offline interviewer's streamed reply (0: as fast as possible)
    offline_word_delay_ms: int = Field(default=0, ge=0, le=1000)
    secret_key: SecretStr = SecretStr(DEV_SECRET)
    token_minutes: int = Field(default=60 * 24, ge=1)
    # a verified token's user is remembered this long per process (0: look it up every time);
    # a revocation or erasure is immediate in its own process and reaches others within this
    token_cache_seconds: float = Field(default=10.0, ge=0, le=300)
    max_message_chars: int = Field(default=20_000, ge=1)
    max_body_bytes: int = Field(default=256 * 1024, ge=1024)
    max_messages_per_interview: int = Field(default=200, ge=2)
    max_interviews_per_day: int = Field(default=50, ge=1)
    max_llm_calls_per_minute: int = Field(default=20, ge=1)
    # failed sign-ins per window from one address (any usernames), and for one username (from
    # any addresses): the per-username limit is 10x higher, so a stranger at one address locks
    # out only that address, never the owner elsewhere; only a guesser spread over 10 or more
    # addresses reaches it, and still gets only 50 guesses per window
    login_attempts_per_address: int = Field(default=5, ge=1)
    login_attempts_per_user: int = Field(default=50, ge=1)
    login_window_seconds: int = Field(default=900, ge=1)
    # "test": the cheapest argon2 (tests sign up hundreds of users); refused outside ONSITE_ENV=test
    password_hash_profile: Literal["production", "test"] = "production"
    # slow clients: the request line and headers must arrive within header_timeout_seconds
    # (else the connection is closed), the body within body_timeout_seconds of the request's
    # start (else a 408); an idle keep-alive connection is closed after keep_alive_seconds
    header_timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    body_timeout_seconds: float = Field(default=30.0, gt=0, le=3600)
    keep_alive_seconds: int = Field(default=5, ge=1, le=300)
    shutdown_grace_seconds: float = Field(default=20.0, ge=0)
    # running candidates' code in coding rounds: "auto" uses bubblewrap when it works here and
    # otherwise disables code execution; "unsafe-local" (rlimits only, no isolation) must be
    # chosen explicitly and is meant for a single trusted user on their own machine
    code_runner: Literal["auto", "bubblewrap", "unsafe-local", "off"] = "auto"
    sandbox_python: str = "/usr/bin/python3"
    sandbox_workers: int = Field(default=2, ge=1, le=64)
    sandbox_queue: int = Field(default=16, ge=0, le=1000)
    # slot uids: base + (process id % 500) * 64 + slot, never root
    sandbox_uid_base: int = Field(default=61000, ge=1000, le=2**31 - 40_000)
    sandbox_wall_seconds: float = Field(default=15.0, gt=0, le=120)
    sandbox_memory_mb: int = Field(default=768, ge=64, le=16384)
    sandbox_processes: int = Field(default=32, ge=4, le=4096)
    sandbox_output_bytes: int = Field(default=64 * 1024, ge=1024, le=8 * 1024 * 1024)
    max_code_chars: int = Field(default=20_000, ge=100, le=100_000)
    max_code_runs_per_minute: int = Field(default=30, ge=1)

    # speech (app/llm/speech.py): transcription of recorded answers and the interviewer's
    # voice, each on any OpenAI-compatible server; unset, the browser's own recognition and
    # synthesis are used where it has them. Base URL and key default to the chat model's.
    stt_model: str | None = None
    stt_base_url: str | None = None
    stt_api_key: SecretStr | None = None
    stt_language: str | None = Field(default=None, pattern=r"^[a-z]{2,3}$")
    # a recording is refused past these, before it reaches the server (and after, when the
    # server measures it longer): ~10 MB is ten minutes of Opus, or one of 16 kHz WAV; the same
    # limits bound each take of a recording kept for a user who opted in (Keep my recordings)
    stt_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024, le=200 * 1024 * 1024)
    stt_max_seconds: float = Field(default=600.0, gt=0, le=7200)
    stt_timeout_seconds: float = Field(default=120.0, gt=0)
    tts_model: str | None = None
    tts_voice: str = Field(default="alloy", max_length=64)
    tts_base_url: str | None = None
    tts_api_key: SecretStr | None = None
    # one request speaks one sentence or so; longer text is refused, never cut
    tts_max_chars: int = Field(default=1000, ge=10, le=4096)
    max_speech_calls_per_minute: int = Field(default=120, ge=1)

    @model_validator(mode="after")
    def _development_secret_only_in_development(self) -> Settings:
        if self.env != "development" and self.secret_key.get_secret_value() == DEV_SECRET:
            raise ValueError(
                f"ONSITE_SECRET_KEY is the development default, which is refused when "
                f"ONSITE_ENV={self.env}; set a long random secret"
            )
        return self

    @model_validator(mode="after")
    def _cheap_hashes_only_in_tests(self) -> Settings:
        if self.password_hash_profile == "test" and self.env != "test":
            raise ValueError(
                "ONSITE_PASSWORD_HASH_PROFILE=test (cheap password hashes) is refused unless "
                "ONSITE_ENV=test; leave it unset for the production cost"
            )
        return self
