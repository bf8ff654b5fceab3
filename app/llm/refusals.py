"""Reading a server's refusal: did it refuse the structured format, or a sampling parameter?

Servers word these differently and not always with a 4xx: llama-cpp-python answers a
`json_schema` request with a 500 whose body is its validation error, LM Studio with a 400
naming `response_format.type`, vLLM and OpenAI with a 400 naming the parameter.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

import openai

from app.llm.sampling import SamplingParam

_FORMAT_WORDS = re.compile(r"response_format|json_schema|\bschema\b", re.I)
_FORMAT_STATUSES = (400, 422, 500)
_PARAM_STATUSES = (400, 422)


def _text(error: openai.APIStatusError) -> str:
    """Everything the refusal says: its message and its body, whatever their shape."""
    body = error.body
    try:
        body_text = body if isinstance(body, str) else json.dumps(body)
    except (TypeError, ValueError):
        body_text = str(body)
    return f"{error.message} {body_text}"


def refuses_format(error: openai.APIStatusError) -> bool:
    """Whether the server refused the request's `response_format` (not the request itself)."""
    return error.status_code in _FORMAT_STATUSES and bool(_FORMAT_WORDS.search(_text(error)))


def refused_param(
    error: openai.APIStatusError, sent: Iterable[SamplingParam]
) -> SamplingParam | None:
    """The sampling parameter among those sent that the server refused, if it names one."""
    if error.status_code not in _PARAM_STATUSES:
        return None
    text = _text(error)
    for param in sent:
        if re.search(rf"\b{param}\b", text):
            return param
    return None
