"""Finding out, at start-up, which structured output and sampling parameters a server takes.

A handful of tiny requests (one-token or few-token replies): first the sampling parameters
together, one by one only if that is refused; then each structured format, strictest first,
until one is answered. Accepted means answered with a 200: whether the reply fits a schema is
checked on every real call, so nothing here judges the model.
"""

from __future__ import annotations

import openai
from pydantic import BaseModel

from app.llm.capabilities import Capabilities
from app.llm.client import LLMClient, as_llm_error
from app.llm.formats import FORMATS, response_format, with_schema_prompt
from app.llm.refusals import refuses_format
from app.llm.sampling import SAMPLING_PARAMS, SamplingParam

_ASK = [{"role": "user", "content": "Reply with the word yes."}]
_TRIAL: dict[SamplingParam, float | int] = {"temperature": 0.0, "max_tokens": 1, "seed": 7}


class Probe(BaseModel):
    """A one-field object to ask for in each structured format."""

    ok: bool


async def probe(client: LLMClient) -> Capabilities:
    """What the client's server accepts; also kept as the client's capabilities.

    LLMError if the server fails otherwise (unreachable, 5xx not about the format)."""
    rejected = await _refused_params(client)
    found = Capabilities(structured="text", rejected=rejected, confirmed=True)
    limit = {} if "max_tokens" in rejected else {"max_tokens": 16}
    for fmt in FORMATS[:-1]:
        body = {
            "messages": with_schema_prompt(fmt, Probe, _ASK),
            "response_format": response_format(fmt, Probe),
            **limit,
        }
        try:
            await client.send_raw(body)
        except openai.APIStatusError as error:
            if refuses_format(error):
                continue
            raise as_llm_error(error) from error
        except openai.OpenAIError as error:
            raise as_llm_error(error) from error
        found.structured = fmt
        break
    client.capabilities = found
    return found


async def _refused_params(client: LLMClient) -> set[SamplingParam]:
    if await _accepted(client, {str(k): v for k, v in _TRIAL.items()}):
        return set()
    # max_tokens first: with it, each other trial costs one generated token
    refused: set[SamplingParam] = set()
    if not await _accepted(client, {"max_tokens": 1}):
        refused.add("max_tokens")
    limit = {} if refused else {"max_tokens": 1}
    for param in SAMPLING_PARAMS:
        if param != "max_tokens" and not await _accepted(client, {param: _TRIAL[param], **limit}):
            refused.add(param)
    return refused


async def _accepted(client: LLMClient, params: dict[str, float | int]) -> bool:
    try:
        await client.send_raw({"messages": _ASK, **params})
    except openai.APIStatusError as error:
        if error.status_code in (400, 422):
            return False
        raise as_llm_error(error) from error
    except openai.OpenAIError as error:
        raise as_llm_error(error) from error
    return True

