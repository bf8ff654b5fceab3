"""Reading a YAML data file: one way for every file the product loads (bank, prompts, evals)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from app.content.errors import ContentError

# libyaml's loader when PyYAML has it (its wheels do): ten times faster than the pure-Python one
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    """The data in a YAML file; ContentError names the file and why it cannot be read."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
    except (OSError, UnicodeDecodeError) as error:
        raise ContentError(f"{path}: cannot read: {error}") from error
    except yaml.YAMLError as error:
        raise ContentError(f"{path}: not valid YAML: {error}") from error
