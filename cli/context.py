"""What the root callback hands to every command."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import typer

__all__ = ["Context", "get"]


@dataclass(frozen=True, slots=True)
class Context:
    home: Path | None
    debug: bool


def get(ctx: typer.Context) -> Context:
    root = ctx.find_root()
    obj = root.obj
    return obj if isinstance(obj, Context) else Context(home=None, debug=False)
