"""What this process knows about the server: the structured format and sampling it accepts.

Learnt by probing at start-up (`onsite serve`) and by refusals at run time; kept per process
(one per client), never assumed from the server's name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.config import Settings
from app.llm.formats import Format
from app.llm.sampling import SAMPLING_PARAMS, SamplingParam


@dataclass
class Capabilities:
    """The structured format to ask for and the sampling parameters not to send."""

    structured: Format = "json_schema"
    rejected: set[SamplingParam] = field(default_factory=set)
    # a structured call in this format has been answered (by the probe or for real): until
    # then a 5xx may be the server refusing the format, so it is not retried blindly
    confirmed: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> Capabilities:
        """What the settings pin or what `onsite serve` probed and passed on."""
        fmt = settings.llm_structured_output
        return cls(
            structured="json_schema" if fmt == "auto" else fmt,
            rejected=set(settings.llm_rejected_params),
            confirmed=fmt != "auto",
        )

    def describe(self) -> str:
        """One line for the start-up banner."""
        accepted = [p for p in SAMPLING_PARAMS if p not in self.rejected]
        refused = [p for p in SAMPLING_PARAMS if p in self.rejected]
        sampling = ", ".join(accepted) or "none"
        if refused:
            sampling += f" (refused, not sent: {', '.join(refused)})"
        return f"structured output: {self.structured}; sampling accepted: {sampling}"
