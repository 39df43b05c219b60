"""The pipeline file: stages, their options, references between them, profiles; validated whole before anything runs.

    chatforge run examples/hirondelle-air/pipeline.yaml [--profile tiny]

A pipeline file is YAML:

    name: hirondelle-air
    out: runs/demo                      # every stage output goes under here (${out})
    vars: {domain: "${here}"}           # ${here} is the folder of the pipeline file
    env: {CHATFORGE_REGISTRY: "${out}/registry"}
    stages:
      prepare: {uses: data prepare, args: ["${vars.domain}/faq.jsonl"], with: {out: "${out}/data"}}
      sft:     {uses: train sft, with: {model: default, data: "${prepare.out}", out: "${out}/sft"}}
      eval:    {uses: eval, with: {model: ["${sft.model}", "${sft.out}"], judge: "${rm.summary.paths.model}"}}
    profiles:
      tiny: {out: runs/demo-tiny, stages: {sft: {with: {max-steps: 4}}}}

`uses` is a chatforge command (`train sft`, `rag ingest`...), `args` its positional
arguments, `with` its options by long name (`max-steps` or `max_steps`; `set: {k: v}` becomes
repeated `--set k=v`; `true`/`false` for flags; lists for repeatable options). A reference
`${stage.option}` is that stage's resolved option, `${stage.summary.a.b}` a field of the
JSON summary it printed; either makes the stage depend on the other, as does `needs`.
A profile is deep-merged over the file (mappings merge, everything else is replaced).

Everything is checked at load, against the real command line of each command: unknown
command or option, options the runner manages itself, references to unknown or disabled
stages or options, cycles, and `${stage.summary.a.b}` against the typed result the stage's
command declares (chatforge/command.py: `command(..., result=Model)`), as deep as its type is
known (a mapping of free keys ends the check). Errors name the stage and the field.
"""

from __future__ import annotations

import re
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from chatforge.command import result_type
from chatforge.config import parse_override, read_yaml
from chatforge.errors import ConfigError

REF = re.compile(r"\$\{([^}]+)\}")
MANAGED = {
    "json": "the runner reads the JSON summary",
    "resume": "the runner resumes an interrupted stage itself",
    "overwrite": "the runner replaces a stage's outputs when its inputs change",
    "help": "not an option",
    "show_config": "not an option",
}
BUILTINS = ("here", "out", "profile", "name", "vars")


class StageSpec(BaseModel):
    """One step of the graph: a chatforge command with its arguments and options."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    uses: str = Field(description="chatforge command to run, e.g. 'train sft' or 'rag ingest'.")
    args: list[Any] = Field(default_factory=list, description="Positional arguments of the command.")
    with_: dict[str, Any] = Field(
        default_factory=dict,
        alias="with",
        description="Options by long name (max-steps or max_steps); set: {k: v} for --set.",
    )
    needs: list[str] = Field(
        default_factory=list, description="Stages that must finish first (besides referenced ones)."
    )
    enabled: bool = Field(True, description="False leaves the stage out of the graph (a profile may switch it on).")
    cache: bool = Field(True, description="False runs the stage every time (e.g. creating a key).")
    ok_exit: list[int] = Field(
        default_factory=lambda: [0],
        description="Exit statuses that count as finished (promote: 2 = refused, keep serving production).",
    )


class PipelineSpec(BaseModel):
    """A whole pipeline file after its profile is applied."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(description="Pipeline name (default output folder runs/NAME).")
    out: str | None = Field(None, description="Output folder of every stage (${out}); default runs/NAME.")
    vars: dict[str, Any] = Field(default_factory=dict, description="Values referenced as ${vars.NAME}.")
    env: dict[str, str] = Field(default_factory=dict, description="Environment variables set for every stage.")
    stages: dict[str, StageSpec] = Field(description="Stage name -> stage, in the order they should preferably run.")
    profiles: dict[str, dict] = Field(default_factory=dict, description="Named overrides, deep-merged over the file.")


class Stage(BaseModel):
    """A validated stage: its command's click object, its option table and its upstream stages."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    name: str
    spec: StageSpec
    command: Any  # the command's click object (from Typer)
    needs: list[str]


class Pipeline(BaseModel):
    """The loaded pipeline: enabled stages in a topological order (file order among equals)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    spec: PipelineSpec
    file: Path
    profile: str | None
    overrides: list[str] = []  # the --set items applied, as given (run.py keeps them, masked, for a resume)
    here: str
    stages: dict[str, Stage]
    order: list[str]
    disabled: list[str]

    def downstream(self, name: str) -> set[str]:
        """`name` and every stage that depends on it, directly or not."""
        found = {name}
        for s in self.order:
            if any(n in found for n in self.stages[s].needs):
                found.add(s)
        return found

    def upstream(self, name: str) -> set[str]:
        """`name` and every stage it depends on."""
        found, todo = set(), [name]
        while todo:
            s = todo.pop()
            if s not in found:
                found.add(s)
                todo.extend(self.stages[s].needs)
        return found


def deep_merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        out[key] = deep_merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def find_command(commands, uses: str):
    """The click command behind `chatforge <uses>` in `commands`, the chatforge command line as a click group
    (the real CLI, so options are checked against what runs)."""
    cmd = commands
    for word in uses.split():
        if word not in getattr(cmd, "commands", {}):
            return None
        cmd = cmd.commands[word]
    return cmd


def options(command) -> list:
    """The command's options (Typer vendors click, so its classes are told apart by `param_type_name`)."""
    return [p for p in command.params if p.param_type_name == "option"]


def option_of(command, key: str):
    """The option a `with:` key names: its long flag (max-steps) or its parameter name (learning_rate)."""
    flag = "--" + key.replace("_", "-")
    for p in options(command):
        if flag in p.opts or p.name == key or p.name == key.rstrip("_") + "_":
            return p
    return None


def takes(command, flag: str) -> bool:
    return any(flag in p.opts for p in options(command))


def refs_in(value: Any) -> list[str]:
    """Every `${...}` expression inside a value (strings, lists, mappings)."""
    if isinstance(value, str):
        return REF.findall(value)
    if isinstance(value, list):
        return [r for v in value for r in refs_in(v)]
    if isinstance(value, dict):
        return [r for v in value.values() for r in refs_in(v)]
    return []


def _topological(names: list[str], needs: dict[str, list[str]]) -> list[str]:
    """Kahn's algorithm, taking ready stages in file order; a cycle is a ConfigError naming it."""
    order, done = [], set()
    while len(order) < len(names):
        ready = [n for n in names if n not in done and all(d in done for d in needs[n])]
        if not ready:
            left = [n for n in names if n not in done]
            raise ConfigError("stages form a cycle: " + ", ".join(f"{n} needs {needs[n]}" for n in left))
        order.append(ready[0])
        done.add(ready[0])
    return order


def _check_options(name: str, spec: StageSpec, command) -> None:
    if spec.args and not any(p.param_type_name == "argument" for p in command.params):
        raise ConfigError(f"stage {name}: args: `chatforge {spec.uses}` takes no positional arguments")
    for key, value in spec.with_.items():
        norm = key.replace("-", "_")
        if norm in MANAGED:
            raise ConfigError(f"stage {name}: with.{key}: {MANAGED[norm]}; remove it")
        opt = option_of(command, key)
        if opt is None:
            known = sorted(p.opts[0][2:] for p in options(command) if p.name not in MANAGED)
            raise ConfigError(
                f"stage {name}: with.{key}: `chatforge {spec.uses}` has no option --{key.replace('_', '-')} "
                f"(options: {', '.join(known)})"
            )
        if opt.name == "set_":
            if not isinstance(value, (dict, list)):
                raise ConfigError(f"stage {name}: with.{key}: give a mapping {{field: value}} or a list of field=value")
        elif isinstance(value, list) and not opt.multiple:
            raise ConfigError(f"stage {name}: with.{key}: --{key} takes one value, got a list")
        elif isinstance(value, dict):
            raise ConfigError(f"stage {name}: with.{key}: a mapping is only valid for `set`")


def _field_type(tp: Any) -> Any:
    """`tp` without None (X | None is X); a union of several types is unknown (Any)."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        kinds = [a for a in typing.get_args(tp) if a is not type(None)]
        return kinds[0] if len(kinds) == 1 else Any
    return tp


def summary_problem(result: type[BaseModel], dotted: str) -> str | None:
    """Why `summary.<dotted>` cannot be a field of a `result` summary, or None when it can (or the type says no
    more: a mapping of free keys or Any)."""
    tp: Any = result
    parts = dotted.split(".")
    for i, part in enumerate(parts):
        at = ".".join(["summary", *parts[:i]])
        tp = _field_type(tp)
        origin = typing.get_origin(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if part not in tp.model_fields:
                return f"{at} ({tp.__name__}) has no field {part!r} (fields: {', '.join(tp.model_fields)})"
            tp = tp.model_fields[part].annotation
        elif origin is dict or tp is dict:
            args = typing.get_args(tp)
            tp = args[1] if len(args) == 2 else Any
        elif tp is Any:
            return None
        else:
            kind = getattr(origin or tp, "__name__", str(tp))
            return f"{at} is a {kind}: it has no field {part!r}"
    return None


def _check_summary_ref(name: str, field: str, ref: str, head: str, uses: str, dotted: str, result: type | None) -> None:
    if result is None or not dotted:
        return
    problem = summary_problem(result, dotted)
    if problem:
        raise ConfigError(
            f"stage {name}: {field}: ${{{ref}}}: the summary of stage {head} (`chatforge {uses}`) "
            f"has no such field: {problem}"
        )


def _check_refs(
    name: str,
    spec: StageSpec,
    stages: dict[str, StageSpec],
    enabled: set[str],
    var_names: set[str],
    results: dict[str, type | None] | None = None,
) -> set[str]:
    """Validate every reference of a stage; return the stages it references. `results`: each enabled stage's
    result type (None: its command declares none, so its summary fields are not checked)."""
    used = set()
    for field, value in [("args", spec.args), *((f"with.{k}", v) for k, v in spec.with_.items())]:
        for ref in refs_in(value):
            head, _, rest = ref.partition(".")
            if head in ("here", "out", "profile", "name") and not rest:
                continue
            if head == "vars":
                if rest not in var_names:
                    raise ConfigError(
                        f"stage {name}: {field}: ${{{ref}}}: no such variable (vars: {sorted(var_names)})"
                    )
                continue
            if head not in stages:
                raise ConfigError(
                    f"stage {name}: {field}: ${{{ref}}}: no stage named {head!r} (stages: {', '.join(stages)})"
                )
            if head not in enabled:
                raise ConfigError(f"stage {name}: {field}: ${{{ref}}}: stage {head} is disabled in this profile")
            if head == name:
                raise ConfigError(f"stage {name}: {field}: ${{{ref}}}: a stage cannot reference itself")
            if not rest:
                raise ConfigError(
                    f"stage {name}: {field}: ${{{ref}}}: name a field: ${{{head}.OPTION}} or ${{{head}.summary.FIELD}}"
                )
            if rest != "summary" and not rest.startswith("summary."):
                opt = rest.replace("-", "_")
                if not any(k.replace("-", "_") == opt for k in stages[head].with_):
                    raise ConfigError(
                        f"stage {name}: {field}: ${{{ref}}}: stage {head} sets no option {rest!r} "
                        f"(it sets: {', '.join(stages[head].with_) or 'none'}); "
                        f"use ${{{head}.summary.FIELD}} for its results"
                    )
            else:
                _check_summary_ref(
                    name,
                    field,
                    ref,
                    head,
                    stages[head].uses,
                    rest[len("summary.") :] if rest != "summary" else "",
                    (results or {}).get(head),
                )
            used.add(head)
    return used


def load_pipeline(
    file: str | Path, profile: str | None = None, overrides: list[str] | None = None, *, commands
) -> Pipeline:
    """Read, apply the profile, then `overrides` (`stages.serve.with.port=8123`), validate everything;
    a ConfigError names the stage and field at fault. `commands` is the chatforge command line as a click group
    (`typer.main.get_command(chatforge.cli.app)`; `chatforge run` passes the one it runs in): each stage's `uses:`
    and `with:` keys are checked against it."""
    file = Path(file)
    raw = read_yaml(file)
    profiles = raw.get("profiles") or {}
    if profile is not None:
        if profile not in profiles:
            raise ConfigError(f"{file}: no profile {profile!r} (profiles: {', '.join(profiles) or 'none'})")
        over = profiles[profile]
        if not isinstance(over, dict):
            raise ConfigError(f"{file}: profiles.{profile} must be a mapping")
        unknown = set(over) - {"out", "vars", "env", "stages"}
        if unknown:
            raise ConfigError(f"{file}: profiles.{profile}: unknown key(s) {sorted(unknown)} (out, vars, env, stages)")
        for sname in over.get("stages") or {}:
            if sname not in (raw.get("stages") or {}):
                raise ConfigError(f"{file}: profiles.{profile}.stages.{sname}: no such stage in the file")
        raw = deep_merge(raw, over)
    for item in overrides or []:
        path, value = parse_override(item)
        node: dict = {}
        tree = node
        for part in path[:-1]:
            tree[part] = {}
            tree = tree[part]
        tree[path[-1]] = value
        raw = deep_merge(raw, node)
    try:
        spec = PipelineSpec.model_validate(raw)
    except ValidationError as exc:
        lines = [f"{file}: invalid pipeline" + (f" (profile {profile})" if profile else "") + ":"]
        for err in exc.errors():
            lines.append(f"  {'.'.join(str(p) for p in err['loc'])}: {err['msg']}")
        raise ConfigError("\n".join(lines)) from None
    if not spec.stages:
        raise ConfigError(f"{file}: no stages")
    enabled = {n for n, s in spec.stages.items() if s.enabled}
    found: dict[str, Any] = {}
    for name, s in spec.stages.items():
        if name in BUILTINS:
            raise ConfigError(f"stage {name}: the name is reserved ({', '.join(BUILTINS)})")
        if not s.enabled:
            continue
        command = find_command(commands, s.uses)
        if command is None or s.uses.split()[0] == "run":
            raise ConfigError(f"stage {name}: uses: `chatforge {s.uses}` is not a chatforge command")
        found[name] = command
    results = {name: result_type(command) for name, command in found.items()}
    stages: dict[str, Stage] = {}
    for name, command in found.items():
        s = spec.stages[name]
        _check_options(name, s, command)
        needs = set(s.needs) | _check_refs(name, s, spec.stages, enabled, set(spec.vars), results)
        for n in s.needs:
            if n not in spec.stages:
                raise ConfigError(f"stage {name}: needs: no stage named {n!r}")
            if n not in enabled:
                raise ConfigError(f"stage {name}: needs: stage {n} is disabled in this profile")
        stages[name] = Stage(name=name, spec=s, command=command, needs=sorted(needs))
    order = _topological(list(stages), {n: st.needs for n, st in stages.items()})
    pipeline = Pipeline(
        spec=spec,
        file=file,
        profile=profile,
        overrides=list(overrides or []),
        here=str(file.parent),
        stages=stages,
        order=order,
        disabled=[n for n in spec.stages if n not in enabled],
    )
    for name in order:
        if stages[name].spec.uses == "serve" and len(pipeline.downstream(name)) > 1:
            raise ConfigError(f"stage {name}: a serve stage runs until stopped, so no stage can depend on it")
    return pipeline
