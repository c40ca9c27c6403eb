"""Shared CLI plumbing: lazy command loading and error mapping."""

from __future__ import annotations

import functools
import importlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from pydantic import BaseModel

from tvaers.errors import TvaersError

F = TypeVar("F", bound=Callable[..., Any])


class LazyGroup(click.Group):
    """Imports a command only when it runs, so ``tvaers --help`` stays fast."""

    def __init__(self, *args: Any, lazy_commands: dict[str, str] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.lazy_commands = lazy_commands or {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands:
            module_name, attr = self.lazy_commands[cmd_name].split(":")
            return getattr(importlib.import_module(module_name), attr)
        return super().get_command(ctx, cmd_name)


def user_errors(func: F) -> F:
    """Show a ``TvaersError`` as a one-line CLI error instead of a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except TvaersError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


def echo_json(payload: Any) -> None:
    """Print one JSON document (or one JSON line) to stdout, Danish letters intact."""
    if isinstance(payload, BaseModel):
        text = payload.model_dump_json()
    else:
        text = json.dumps(payload, ensure_ascii=False, default=_default)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _default(obj: Any) -> Any:
    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json")
    raise TypeError(f"cannot serialise {type(obj).__name__}")


def gold_option(help_text: str) -> Callable[[F], F]:
    """``--gold FILE``, defaulting to the bundled dev gold set; shared by the eval commands."""
    from tvaers.eval.gold import BUNDLED_DEV_GOLD

    return click.option(
        "--gold",
        "gold",
        type=click.Path(path_type=Path, dir_okay=False),
        default=BUNDLED_DEV_GOLD,
        show_default="eval/gold/dev.jsonl",
        help=help_text,
    )
