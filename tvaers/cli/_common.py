"""Shared CLI plumbing: lazy command loading and error mapping."""

from __future__ import annotations

import functools
import importlib
import json
import os
import sys
import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from pydantic import BaseModel, ValidationError

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
    """Show a ``TvaersError`` or a bad setting as a one-line CLI error, not a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except TvaersError as exc:
            raise click.ClickException(str(exc)) from exc
        except tomllib.TOMLDecodeError as exc:
            message = f"the config file {_config_file()} is not TOML: {exc}"
            raise click.ClickException(message) from exc
        except ValidationError as exc:
            if exc.title != "Settings":
                raise
            raise click.ClickException(settings_message(exc)) from exc

    return wrapper  # type: ignore[return-value]


def settings_message(exc: ValidationError) -> str:
    """Which settings are wrong, named as environment variables and config-file keys."""
    wrong = [
        f"{'.'.join(str(p) for p in err['loc'])} (TVAERS_{str(err['loc'][0]).upper()}): "
        f"{err['msg']}, got {err.get('input')!r}"
        for err in exc.errors()
    ]
    return f"invalid settings in the environment or {_config_file()}: " + "; ".join(wrong)


def _config_file() -> str:
    return os.environ.get("TVAERS_CONFIG", "tvaers.toml")


def question_text(raw: str) -> str:
    """A question as typed: stripped, BOM dropped, NFC; bytes that are not UTF-8 read as cp1252.

    Python hands undecodable argv and stdin bytes over as lone surrogates, which
    the tokenizer cannot take; a Windows terminal or file most likely meant
    Windows-1252 (``p\\xe5 tv\\xe6rs`` is "på tværs"), as ingest assumes too.
    """
    from tvaers.index.language import clean_question  # the index package is slow to import

    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        raw = raw.encode("utf-8", "surrogateescape").decode("cp1252", "replace")
        click.echo("warning: the question was not UTF-8; read it as Windows-1252", err=True)
    return clean_question(raw)


def output_path(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """Click callback for -o/--html/--csv: refuse a path that cannot be written, before the work.

    Missing folders are fine (the writer makes them); a file in their place,
    or a folder without write permission, is not.
    """
    del ctx
    if value is None:
        return None
    folder = value.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise click.BadParameter(f"{value}: {folder} is a file, not a folder", param=param)
    if not _can_create_in(folder):
        raise click.BadParameter(f"{value}: cannot write in {folder}", param=param)
    return value


def _can_create_in(folder: Path) -> bool:
    """Whether a file can really be made there: ``os.access`` says yes to root everywhere,
    and /sys or a read-only mount refuse only when it is tried."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


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
