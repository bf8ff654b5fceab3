"""Structured output formats, strictest first, and how a reply in each is asked for and read.

Servers accept different subsets of OpenAI's `response_format` (see the README's table):

- `json_schema`: OpenAI's strict structured output, `{"type": "json_schema", ...}`.
- `json_object_schema`: JSON mode with the schema beside it, `{"type": "json_object",
  "schema": ...}`, which llama.cpp's servers turn into a grammar.
- `json_object`: plain JSON mode; the schema is only in the prompt.
- `text`: no `response_format` at all; the schema is in the prompt and the JSON is cut out of
  the reply.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

Format = Literal["json_schema", "json_object_schema", "json_object", "text"]
FORMATS: tuple[Format, ...] = ("json_schema", "json_object_schema", "json_object", "text")

M = TypeVar("M", bound=BaseModel)
_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S)


def next_format(current: Format) -> Format | None:
    """The next, less strict format; None after plain text."""
    index = FORMATS.index(current)
    return FORMATS[index + 1] if index + 1 < len(FORMATS) else None


def response_format(fmt: Format, model_cls: type[BaseModel]) -> dict[str, Any] | None:
    """The request's `response_format` for this format (None: leave it out)."""
    match fmt:
        case "json_schema":
            return {
                "type": "json_schema",
                "json_schema": {
                    "name": model_cls.__name__,
                    "schema": strict_schema(model_cls),
                    "strict": True,
                },
            }
        case "json_object_schema":
            return {"type": "json_object", "schema": wire_schema(model_cls)}
        case "json_object":
            return {"type": "json_object"}
        case "text":
            return None


def with_schema_prompt(
    fmt: Format, model_cls: type[BaseModel], messages: Sequence[dict[str, str]]
) -> list[dict[str, str]]:
    """The messages, with the schema spelt out in the system message unless the server
    enforces it. Appended to the first system message rather than sent as a message of its
    own: several models' chat templates refuse a system message anywhere but first."""
    if fmt == "json_schema":
        return list(messages)
    hint = "Reply with one JSON object and nothing else, matching this JSON schema: " + json.dumps(
        _json_schema(model_cls), separators=(",", ":")
    )
    out = list(messages)
    if out and out[0]["role"] == "system":
        out[0] = {**out[0], "content": f"{out[0]['content']}\n\n{hint}"}
    else:
        out.insert(0, {"role": "system", "content": hint})
    return out


def parse_reply(content: str, model_cls: type[M]) -> M:
    """The reply as the model; ValueError (pydantic's ValidationError is one) if it is not.

    Small models in JSON mode or plain text wrap the object in a code fence or a sentence:
    the outermost object is cut out first."""
    text = content.strip()
    fenced = _FENCE.search(text)
    if fenced:
        text = fenced.group(1).strip()
    start, end = text.find("{"), text.rfind("}")
    if start == -1 or end < start:
        raise ValueError(f"the reply holds no JSON object: {content[:200]!r}")
    return model_cls.model_validate_json(text[start : end + 1])


# bounds that are checked here (by the pydantic model) rather than sent: llama.cpp turns a
# string's maxLength into one nested grammar rule per character, and at a few hundred its
# server fails to parse the grammar and dies; OpenAI's strict mode refuses some of them
_UNSENT = frozenset({"maxLength", "minLength"})


# pydantic builds a model's JSON schema anew on each call, a tenth of a turn's CPU with the LLM
# assessor; the grader's reply models are built per scorecard, so the cache is bounded
@lru_cache(maxsize=64)
def _json_schema(model_cls: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema, built once; read only (wire_schema copies it)."""
    return model_cls.model_json_schema()


def wire_schema(model_cls: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema as servers are given it: without string length bounds."""

    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k not in _UNSENT}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    return strip(_json_schema(model_cls))


def strict_schema(model_cls: type[BaseModel]) -> dict[str, Any]:
    """The wire schema in the strict form: closed objects, every property required."""
    document = wire_schema(model_cls)

    def close(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                node["additionalProperties"] = False
                node["required"] = list(node["properties"])
            for value in node.values():
                close(value)
        elif isinstance(node, list):
            for value in node:
                close(value)

    close(document)
    return document
