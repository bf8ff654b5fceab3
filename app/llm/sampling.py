"""Sampling parameters chosen per kind of call, and dropped when a server refuses them."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from typing import Any, Literal

from app.config import Settings

Purpose = Literal["voice", "assessment", "grading", "tailoring"]
SamplingParam = Literal["temperature", "max_tokens", "seed"]
SAMPLING_PARAMS: tuple[SamplingParam, ...] = ("temperature", "max_tokens", "seed")


@dataclass(frozen=True)
class Sampling:
    """The sampling parameters of one kind of call; None leaves the server's default."""

    temperature: float | None = None
    max_tokens: int | None = None
    seed: int | None = None

    def params(self, rejected: Set[str] = frozenset()) -> dict[str, Any]:
        """The parameters to send, less those the server refused."""
        values = {"temperature": self.temperature, "max_tokens": self.max_tokens, "seed": self.seed}
        return {k: v for k, v in values.items() if v is not None and k not in rejected}


def sampling_from_settings(settings: Settings) -> dict[Purpose, Sampling]:
    """Each kind of call's sampling, as configured (ONSITE_LLM_<KIND>_<PARAMETER>)."""
    return {
        "voice": Sampling(
            temperature=settings.llm_voice_temperature,
            max_tokens=settings.llm_voice_max_tokens,
            seed=settings.llm_voice_seed,
        ),
        "assessment": Sampling(
            temperature=settings.llm_assessment_temperature,
            max_tokens=settings.llm_assessment_max_tokens,
            seed=settings.llm_assessment_seed,
        ),
        "grading": Sampling(
            temperature=settings.llm_grading_temperature,
            max_tokens=settings.llm_grading_max_tokens,
            seed=settings.llm_grading_seed,
        ),
        "tailoring": Sampling(
            temperature=settings.llm_tailoring_temperature,
            max_tokens=settings.llm_tailoring_max_tokens,
            seed=settings.llm_tailoring_seed,
        ),
    }
