"""The base of every error a user can cause: a bad option, a missing file, a database that does not exist.

A command prints a `UserError` as one line, `error: ...`, and exits 2 (`chatforge.command`).
Anything else that escapes a command is a bug: one line saying so, and the traceback under
`chatforge --debug ...`. Subclasses say what went wrong. The ones every layer raises live here
(ConfigError, InputError, ModelError, MissingResource); one module's own (RegistryError, GateError,
CheckpointError, ...) stay in that module and derive from UserError. Most also derive from ValueError,
which callers of the Python functions already catch.
"""

from __future__ import annotations


class UserError(Exception):
    """An error the user can fix (the message names the item and the reason); never a bug."""


class MissingResource(UserError, ValueError):
    """A command that only reads was pointed at a database, registry or index that does not exist."""


class ConfigError(UserError, ValueError):
    """A configuration problem the user must fix (a config file, --set, an option); the message names the field."""


class InputError(UserError, ValueError):
    """Input the run cannot start with (no input, unknown format): a clear error, not a rejection."""


class ModelError(UserError, ValueError):
    """A model that cannot be used as given; the message names it and says what to do."""
