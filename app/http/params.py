"""Path parameters with their bounds stated, so a bad value is a clear 422, never a 500."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

# a row id: databases store at most a signed 32-bit integer in an INTEGER primary key here
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]
# a loop's round, 1 for the first
RoundNumber = Annotated[int, Path(ge=1, le=20)]
