"""Generate the CLI and configuration references: docs/cli.md from the Typer app, docs/config.md from the stage configs.

Run with `make docs` (or `.venv/bin/python scripts/gen_docs.py [--out DIR]`). The references are built from the code
itself, so they cannot drift from it: tests/test_docs_current.py regenerates them and fails when the committed files
differ. The CLI reference walks `typer.main.get_command(app)`: every command with its help, arguments and options
(help and default). The configuration reference lists every pydantic config class of the package (a class named
`...Config` deriving from pydantic's BaseModel): each field with its type, default and description, nested configs
linked.
"""

from __future__ import annotations

import argparse
import enum
import importlib
import re
import sys
from pathlib import Path

import typer.main
from pydantic import BaseModel

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "chatforge"
CLASS_RE = re.compile(r"^class (\w+Config)\(", re.MULTILINE)
HOME = str(Path.home())


def _cell(text: str) -> str:
    """One Markdown table cell: single line, pipes escaped, the home folder shown as ~."""
    text = " ".join(str(text).replace(HOME, "~").split())
    return text.replace("|", "\\|")


def _help(text: str | None) -> str:
    """Click help text without Typer's `\\b` paragraph markers."""
    lines = [line for line in (text or "").splitlines() if line.strip() != "\b"]
    return "\n".join(lines).strip()


def _is_group(cmd) -> bool:
    return hasattr(cmd, "commands")


def _is_option(param) -> bool:
    return param.param_type_name == "option"


def _default(param) -> str:
    if param.required:
        return "required"
    default = param.default
    if callable(default):
        return "(computed)"
    if _is_option(param) and param.is_flag and param.secondary_opts and default is None:
        return ""
    if default is None or default == () or default == []:
        return ""
    if isinstance(default, enum.Enum):
        default = default.value
    if isinstance(default, bool):
        return "true" if default else "false"
    return f"`{_cell(default)}`"


def _type(param, ctx) -> str:
    """The value type as Typer shows it (`path`, `int`, `list[str]`), empty for a flag."""
    if _is_option(param) and param.is_flag:
        return ""
    try:
        shown = param.display_type(ctx)
    except TypeError:
        return ""
    return f"`{shown.strip('<>')}`" if isinstance(shown, str) else ""


def _option_names(param) -> str:
    names = ", ".join(f"`{name}`" for name in param.opts)
    if param.secondary_opts:
        names += " / " + ", ".join(f"`{name}`" for name in param.secondary_opts)
    return names


def _command_section(path: str, cmd, ctx) -> list[str]:
    lines = [f"## `{path}`", ""]
    help_text = _help(cmd.help)
    if help_text:
        lines += [help_text, ""]
    usage = " ".join(cmd.collect_usage_pieces(ctx))
    lines += ["```", f"{path} {usage}".rstrip(), "```", ""]
    arguments = [p for p in cmd.params if p.param_type_name == "argument"]
    options = [p for p in cmd.params if _is_option(p) and not p.hidden]
    if arguments:
        lines += ["| argument | type | help | default |", "|---|---|---|---|"]
        for arg in arguments:
            many = "..." if arg.nargs == -1 else ""
            lines.append(
                f"| `{arg.name.upper()}{many}` | {_type(arg, ctx)} | {_cell(getattr(arg, 'help', '') or '')} "
                f"| {_default(arg)} |"
            )
        lines.append("")
    if options:
        lines += ["| option | type | help | default |", "|---|---|---|---|"]
        for opt in options:
            lines.append(f"| {_option_names(opt)} | {_type(opt, ctx)} | {_cell(opt.help or '')} | {_default(opt)} |")
        lines.append("")
    return lines


def _walk(path: str, cmd, parent):
    ctx = cmd.context_class(cmd, info_name=path.split()[-1], parent=parent)
    yield path, cmd, ctx
    if _is_group(cmd):
        for name in sorted(cmd.commands):
            yield from _walk(f"{path} {name}", cmd.commands[name], ctx)


def cli_markdown() -> str:
    """The CLI reference: the top-level help, then one section per command and group, in command order."""
    from chatforge.cli import app

    root = typer.main.get_command(app)
    out = [
        "# CLI reference",
        "",
        "Generated from the commands by `make docs` (scripts/gen_docs.py); do not edit by hand. "
        "Every field a `--config FILE.yaml` or `--set key=value` can set is in [config.md](config.md).",
        "",
    ]
    entries = list(_walk("chatforge", root, None))
    out += ["| command | what it does |", "|---|---|"]
    for path, cmd, _ctx in entries[1:]:
        if _is_group(cmd) and not cmd.invoke_without_command:
            continue
        out.append(f"| [`{path}`](#{_anchor(path)}) | {_cell(cmd.get_short_help_str(limit=120))} |")
    out.append("")
    for path, cmd, ctx in entries:
        if _is_group(cmd) and not cmd.invoke_without_command and path != "chatforge":
            out += [
                f"## `{path}`",
                "",
                _help(cmd.help),
                "",
                "Subcommands: " + ", ".join(f"`{path} {name}`" for name in sorted(cmd.commands)),
                "",
            ]
            continue
        out += _command_section(path, cmd, ctx)
    if root.epilog:
        out += ["```", _help(root.epilog), "```", ""]
    return "\n".join(out).rstrip() + "\n"


def config_classes() -> list[type[BaseModel]]:
    """Every `...Config` pydantic class defined in the package, in module then source order."""
    found: list[type[BaseModel]] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        names = CLASS_RE.findall(path.read_text(encoding="utf-8"))
        if not names:
            continue
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        mod = importlib.import_module(module)
        for name in names:
            cls = getattr(mod, name, None)
            if isinstance(cls, type) and issubclass(cls, BaseModel) and cls.__module__ == module:
                found.append(cls)
    return found


def _anchor(heading: str) -> str:
    """The anchor GitHub and most Markdown renderers give a heading."""
    return re.sub(r"[^a-z0-9 _-]", "", heading.lower()).replace(" ", "-")


def _headings(classes: list[type[BaseModel]]) -> dict[type, str]:
    """A heading per class: its name, with its module when two classes share the name."""
    names = [cls.__name__ for cls in classes]
    return {
        cls: cls.__name__ if names.count(cls.__name__) == 1 else f"{cls.__name__} ({cls.__module__})" for cls in classes
    }


def _type_name(annotation, known: dict[type, str]) -> str:
    if isinstance(annotation, type):
        if annotation in known:
            return f"[{annotation.__name__}](#{_anchor(known[annotation])})"
        return f"`{annotation.__name__}`"
    text = repr(annotation).replace("typing.", "").replace("NoneType", "None")
    text = re.sub(r"(?<!['\w])(?:[a-z_]\w*\.)+([A-Za-z_]\w*)", r"\1", text)
    text = re.sub(r"Optional\[(.*)\]$", r"\1 | None", text)
    return f"`{text}`"


def config_markdown() -> str:
    """The configuration reference: one section per config class, grouped by the package part that holds it."""
    classes = config_classes()
    classes = [cls for cls in classes if cls.model_fields]
    known = _headings(classes)
    out = [
        "# Configuration reference",
        "",
        "Generated from the typed configs by `make docs` (scripts/gen_docs.py); do not edit by hand. "
        "A stage reads its config from defaults, then `--config FILE.yaml`, then its command's options, then "
        "`--set key=value` (dotted keys for nested configs: `--set dedup.near_threshold=0.7`; values parsed "
        "as YAML). Unknown keys and invalid values fail at load time naming the field. "
        "`chatforge <command> --show-config` prints the config a command would run with, field by field, "
        "and runs nothing. "
        "The commands are in [cli.md](cli.md).",
        "",
    ]
    part = None
    for cls in classes:
        module = cls.__module__
        this_part = module.split(".")[1] if module.count(".") >= 2 else "core"
        if this_part != part:
            part = this_part
            out += [f"## {part}", ""]
        doc = " ".join((cls.__doc__ or "").split())
        out += [f"### {known[cls]}", "", f"`{module}.{cls.__name__}`" + (f": {doc}" if doc else ""), ""]
        out += ["| field | type | default | description |", "|---|---|---|---|"]
        for name, field in cls.model_fields.items():
            annotation = field.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                default = "(nested)"
            elif field.is_required():
                default = "required"
            else:
                value = field.get_default(call_default_factory=True)
                if isinstance(value, enum.Enum):
                    value = value.value
                default = f"`{_cell(repr(value))}`"
            out.append(
                f"| `{name}` | {_cell(_type_name(annotation, known))} | {default} | {_cell(field.description or '')} |"
            )
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def write(out_dir: Path) -> list[Path]:
    """Write cli.md and config.md into out_dir; returns the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "cli.md", out_dir / "config.md"]
    paths[0].write_text(cli_markdown(), encoding="utf-8")
    paths[1].write_text(config_markdown(), encoding="utf-8")
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder to write cli.md and config.md into")
    args = parser.parse_args(argv)
    for path in write(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
