"""Prompt templates: Jinja2 files under prompts/, sandboxed, every variable required."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, Template, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from app.content.errors import ContentError
from app.content.yamlfile import read_yaml

RENDERED_KEPT = 2048  # prompts remembered by render_once before the cache starts over


def mid_sentence(text: str) -> str:
    """A title or name as it reads inside a sentence: lower case, but for acronyms and names
    of formats ("API", "LRU cache", "fp16", "A/B testing" stay as written)."""
    return " ".join(word if _KEPT_CASE.search(word) else word.lower() for word in text.split())


# a word written with a capital after its first letter, or a digit: an acronym or a format
_KEPT_CASE = re.compile(r"^.+[A-Z]|\d")


def make_environment(root: Path) -> ImmutableSandboxedEnvironment:
    """A sandboxed Jinja environment that fails on any undefined variable; `mid_sentence`
    lowers a title for use inside a sentence."""
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(str(root)),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["mid_sentence"] = mid_sentence
    return env


@dataclass(frozen=True)
class PromptLibrary:
    """Compiled templates: LLM prompts by path, offline phrasings by move and variant."""

    root: Path
    templates: Mapping[str, Template]
    phrasings: Mapping[str, tuple[Template, ...]]
    _rendered: dict[tuple, str] = field(default_factory=dict, compare=False, repr=False)

    def render(self, name: str, **variables: Any) -> str:
        """Render one template file (e.g. 'interviewer/behavioral.j2')."""
        try:
            return self.templates[name].render(**variables).strip()
        except TemplateError as error:
            raise ContentError(f"{self.root / name}: {error}") from error

    def render_once(self, name: str, key: tuple, **variables: Any) -> str:
        """render(), remembered under key: for prompts that the key's values fully determine
        (a round's system prompt, a question's block), rendered once rather than every turn."""
        cache_key = (name, *key)
        text = self._rendered.get(cache_key)
        if text is None:
            if len(self._rendered) >= RENDERED_KEPT:
                self._rendered.clear()
            text = self._rendered[cache_key] = self.render(name, **variables)
        return text

    def phrasing_count(self, key: str) -> int:
        """How many variants the offline voice has for this phrasing."""
        return len(self.phrasings[key])

    def phrase(self, key: str, variant: int, **variables: Any) -> str:
        """Render one variant of an offline phrasing."""
        options = self.phrasings[key]
        try:
            return options[variant % len(options)].render(**variables).strip()
        except TemplateError as error:
            raise ContentError(f"{self.root / 'offline'}: phrasing {key!r}: {error}") from error


def load_prompts(root: Path, *, required: list[str], phrasing_keys: list[str]) -> PromptLibrary:
    """Compile every template under root; fail with the path and reason on any problem."""
    if not root.is_dir():
        raise ContentError(f"{root}: prompts folder not found")
    env = make_environment(root)
    templates: dict[str, Template] = {}
    for path in sorted(root.rglob("*.j2")):
        name = path.relative_to(root).as_posix()
        try:
            templates[name] = env.get_template(name)
        except TemplateError as error:
            raise ContentError(f"{path}: {error}") from error
    missing = [name for name in required if name not in templates]
    if missing:
        raise ContentError(f"{root}: missing prompt template(s): {', '.join(missing)}")
    phrasings = _load_phrasings(root / "offline", env, phrasing_keys)
    return PromptLibrary(root=root, templates=templates, phrasings=phrasings)


def _load_phrasings(
    folder: Path, env: ImmutableSandboxedEnvironment, keys: list[str]
) -> dict[str, tuple[Template, ...]]:
    phrasings: dict[str, tuple[Template, ...]] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = read_yaml(path)
        if not isinstance(data, dict):
            raise ContentError(f"{path}: expected a mapping of phrasing name to variants")
        for key, variants in data.items():
            if key in phrasings:
                raise ContentError(f"{path}: phrasing {key!r} is defined twice")
            if not isinstance(variants, list) or not variants:
                raise ContentError(f"{path}: phrasing {key!r} needs a non-empty list of variants")
            try:
                phrasings[key] = tuple(env.from_string(str(v)) for v in variants)
            except TemplateError as error:
                raise ContentError(f"{path}: phrasing {key!r}: {error}") from error
    missing = [key for key in keys if key not in phrasings]
    if missing:
        raise ContentError(f"{folder}: missing offline phrasing(s): {', '.join(missing)}")
    return phrasings
