"""The one command builder: every `chatforge` command gets its common options and error handling here.

    @command(app, "list")                                   # --json and the error contract
    def keys_list(db: str = DbOpt, cmd: Invocation = None) -> None: ...

    @command(app, "prepare", config="chatforge.data.prepare:PrepareConfig")   # a stage: also --config, --set, --show-config
    def data_prepare(inputs: ..., out: ..., seed: ... = None, cmd: Invocation = None) -> None:
        cfg = cmd.config(**{"split.seed": seed})             # defaults < --config FILE < CLI options < --set k=v
        ...
        cmd.emit(summary, human)                             # with --json the last stdout line is `summary`

The decorated function declares its own options and a `cmd` parameter (left out of the command
line); `result="chatforge.data.results:PrepareResult"` names the pydantic model (a `Result`) its summary is
validated by and serialised through in `cmd.emit`, which `chatforge run` also reads to check
`${stage.summary.a.b}` references. The builder adds `--json` to every command and, for a stage with a typed config (a class,
or "module:Class" imported only when needed, so `--help` stays fast), `--config`, `--set` and
`--show-config` (prints the config resolved from its defaults, --config and --set, every field with its
value and help, and runs nothing).

Errors: a `chatforge.errors.UserError` is one line, `error: ...` (and `{"ok": false, "error": ...}` with
`--json`), exit status `exc.exit_code` (2 unless the error says otherwise). So is an OS error naming a
file the user gave (missing, not a folder, not readable). Anything else is a bug: one line naming the
exception and exit 1, or the full traceback with `chatforge --debug ...` (or CHATFORGE_DEBUG=1).
"""

from __future__ import annotations

import functools
import importlib
import inspect
import os
import typing
from pathlib import Path
from typing import Any, Callable, Optional

import typer
from pydantic import BaseModel, ConfigDict

from chatforge.config import config_help, load_config
from chatforge.errors import UserError
from chatforge.output import emit, fail, redact_url, stderr

DEBUG_ENV = "CHATFORGE_DEBUG"
_debug = False

# OS errors that name a path the user gave: a user error, reported with the path and the reason
PATH_ERRORS = (FileNotFoundError, NotADirectoryError, IsADirectoryError, PermissionError)
# Typer's own exits and usage errors pass through untouched
_PASS_THROUGH = (typer.Exit, typer.Abort, typer.BadParameter.__mro__[2])  # ClickException: usage errors

JSON_HELP = "Print a one-line JSON summary as the last stdout line."
CONFIG_HELP = "YAML file with the stage config."
SET_HELP = "Override one config field: key=value (repeatable, dotted keys)."
SHOW_HELP = "Print the config resolved from defaults, --config and --set (field = value, help); run nothing."


def set_debug(on: bool) -> None:
    """`chatforge --debug`: unexpected errors show their traceback."""
    global _debug
    _debug = bool(on)


def debug() -> bool:
    """Whether unexpected errors show their traceback (`--debug` or CHATFORGE_DEBUG=1)."""
    return _debug or os.environ.get(DEBUG_ENV, "") not in ("", "0")


class Result(BaseModel):
    """Base of a command's JSON summary (its typed result): a field the model does not declare is refused, so a
    summary that drifts from its model fails the command's tests, and `chatforge run` checks `${stage.summary.a.b}`
    references against the declared fields before anything runs."""

    model_config = ConfigDict(extra="forbid")
    ok: bool = True


def dump_result(summary: Any, result: type | None) -> dict:
    """`summary` validated by and serialised through the pydantic model `result` (fields left unset stay out)."""
    if result is not None and not isinstance(summary, result):
        summary = result.model_validate(summary)
    if hasattr(summary, "model_dump"):
        return summary.model_dump(mode="json", exclude_unset=True)
    return summary


class Invocation:
    """What one run of a command knows of the common options: `as_json`, the stage config, the result model."""

    def __init__(
        self,
        config_cls: type | None,
        config_file: Optional[Path],
        overrides: Optional[list[str]],
        as_json: bool,
        result_cls: type | None = None,
    ):
        self.config_cls, self.config_file, self.overrides, self.as_json = config_cls, config_file, overrides, as_json
        self.result_cls = result_cls

    def config(self, **cli_values: Any):
        """The typed config: defaults < --config FILE < CLI values (None = unset) < --set key=value."""
        return load_config(self.config_cls, self.config_file, self.overrides, **cli_values)

    def emit(self, summary: Any, human: str | None = None, result: type | None = None) -> None:
        """The human lines, and with --json the summary as the last stdout line, validated by and serialised
        through the command's result model (or `result`, for a command with two kinds of summary)."""
        emit(dump_result(summary, result or self.result_cls), self.as_json, human)

    def fail(self, message: str, code: int = 2) -> typing.NoReturn:
        """A user's error as one line (and the JSON summary with --json), then exit `code`."""
        fail(message, self.as_json, code)


def print_config(cfg) -> None:
    """Every field of a resolved config, dotted, with its value and help (`--show-config`)."""
    values = cfg.model_dump(mode="json")
    for name, _default, help_text in config_help(type(cfg)):
        value: Any = values
        for part in name.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        typer.echo(f"{name} = {redact_url(repr(value))}\n    {help_text}")


def resolve_class(spec: type | str | None) -> type | None:
    """A config or result class given as itself or as "package.module:Class" (imported now)."""
    if spec is None or isinstance(spec, type):
        return spec
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def _one_line(exc: BaseException) -> str:
    text = next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
    return redact_url(text)[:300]


def _path_error(exc: OSError) -> str:
    reason = exc.strerror or type(exc).__name__
    return f"{exc.filename}: {reason}" if exc.filename else _one_line(exc) or reason


def report_errors(as_json: bool):
    """A context manager applying the error contract (module docstring) around a command's body."""
    return _ErrorContract(as_json)


class _ErrorContract:
    def __init__(self, as_json: bool):
        self.as_json = as_json

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        if exc is None or isinstance(exc, (_PASS_THROUGH, KeyboardInterrupt, SystemExit)):
            return False
        if isinstance(exc, BrokenPipeError):  # stdout closed by the reader (`| head`): nothing left to say
            raise typer.Exit(0)
        if isinstance(exc, UserError):
            fail(_message(exc), self.as_json, getattr(exc, "exit_code", 2))
        if isinstance(exc, PATH_ERRORS):
            fail(_path_error(exc), self.as_json, 2)
        if debug() or not isinstance(exc, Exception):
            return False  # the traceback
        stderr.print(
            f"[red]error:[/red] unexpected {type(exc).__name__}: {_one_line(exc)} (a bug: rerun with "
            f"`chatforge --debug ...` for the traceback)",
            highlight=False,
            markup=True,
            soft_wrap=True,
        )
        if self.as_json:
            emit({"ok": False, "error": f"unexpected {type(exc).__name__}: {_one_line(exc)}"}, True)
        raise typer.Exit(1)


def _message(exc: UserError) -> str:
    return str(exc) or type(exc).__name__


def _required_values(cls: type, kwargs: dict) -> dict:
    """The command's option values that fill a required field of its config (same name), for --show-config."""
    return {
        name: str(kwargs[name]) if isinstance(kwargs[name], Path) else kwargs[name]
        for name, field in cls.model_fields.items()
        if field.is_required() and kwargs.get(name) is not None
    }


def _option(name: str, annotation, default) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


def command(
    app: typer.Typer,
    name: str | None = None,
    *,
    config: type | str | None = None,
    result: type | str | None = None,
    callback: bool = False,
    **typer_kwargs,
) -> Callable:
    """Register the decorated function as `app`'s command `name` (or as its group callback with
    `callback=True`), adding --json (and, with `config`, --config / --set / --show-config) and the error
    contract. `result` names the pydantic model of its JSON summary (checked by `chatforge run`)."""

    def decorate(fn: Callable) -> Callable:
        own = inspect.signature(fn)
        hints = typing.get_type_hints(fn)
        params = [
            p.replace(annotation=hints.get(p.name, p.annotation)) for p in own.parameters.values() if p.name != "cmd"
        ]
        extra = []
        if config is not None:
            extra += [
                _option("show_config", bool, typer.Option(False, "--show-config", help=SHOW_HELP)),
                _option("config", Optional[Path], typer.Option(None, "--config", help=CONFIG_HELP)),
                _option("set_", Optional[list[str]], typer.Option(None, "--set", help=SET_HELP)),
            ]
        extra.append(_option("as_json", bool, typer.Option(False, "--json", help=JSON_HELP)))
        taken = {p.name for p in params}
        clash = taken & {p.name for p in extra}
        if clash:
            raise TypeError(f"{fn.__name__}: the builder adds {sorted(clash)} itself")
        params = [
            p.replace(kind=inspect.Parameter.KEYWORD_ONLY) if p.kind == inspect.Parameter.POSITIONAL_OR_KEYWORD else p
            for p in params
        ]

        @functools.wraps(fn)
        def wrapper(**kwargs):
            as_json = kwargs.pop("as_json")
            show, cfg_file, overrides = False, None, None
            if config is not None:  # the builder's own --show-config / --config / --set (else the command's)
                show, cfg_file, overrides = kwargs.pop("show_config"), kwargs.pop("config"), kwargs.pop("set_")
            with report_errors(as_json):
                cls = resolve_class(config)
                if show:  # defaults < --config < --set, nothing runs; of the command's own options only those
                    # naming a required field of the config (annotate create --name) are applied
                    return print_config(load_config(cls, cfg_file, overrides, **_required_values(cls, kwargs)))
                cmd = Invocation(cls, cfg_file, overrides, as_json, resolve_class(result))
                if "cmd" in own.parameters:
                    kwargs["cmd"] = cmd
                return fn(**kwargs)

        wrapper.__signature__ = own.replace(parameters=params + extra, return_annotation=None)
        wrapper.__annotations__ = {p.name: p.annotation for p in params + extra}
        wrapper.chatforge_config = config
        wrapper.chatforge_result = result
        if callback:
            app.callback(**typer_kwargs)(wrapper)
        else:
            app.command(name, **typer_kwargs)(wrapper)
        return wrapper

    return decorate


def result_type(click_command) -> type | None:
    """The pydantic model of a command's JSON summary, when its builder declared one (for `chatforge run`)."""
    fn = getattr(click_command, "callback", None)
    return resolve_class(getattr(fn, "chatforge_result", None))
