"""The model registry: every trained model with its lineage and metrics, and the alias that says which one serves.

    chatforge registry register NAME --model runs/dpo --eval runs/eval/report.json [--parent NAME@production]
    chatforge registry promote NAME VERSION [--gate token_f1=0.3] [--force --reason "..."]
    chatforge registry rollback NAME [--to VERSION]      (production back to the version it replaced)
    chatforge registry list [NAME] | chatforge registry show NAME@production
    chatforge serve --model registry:NAME@production      (any stage: registry:NAME@candidate, @latest, @3)

MLflow's model registry underneath: a registered model per NAME, a model version per
registration (its `source` is the model folder), tags for lineage (`chatforge.lineage`),
metrics (`chatforge.metrics`), the gate (`chatforge.gate`, on the registered model) and
promotions, and the aliases `production` and `candidate`.

Where: `--registry URI` on every command, else `$CHATFORGE_REGISTRY`, else `runs/registry`.
A folder holds an MLflow SQLite store (`mlflow.db`) and the model files (`models/NAME/<hash>/`);
an MLflow URI (`http(s)://`, `sqlite:///`, `postgresql://`, `databricks`...) is used as the
tracking and registry URI directly. Model specs `registry:...` read the same default, so
point every stage at another registry with `CHATFORGE_REGISTRY=...`.

Files: with a folder registry the model is copied in, under a folder named by its content
hash. A registry entry must not change under the name that serves it: training folders are
overwritten (`--overwrite`), moved and deleted, and a copy costs seconds against that risk.
With an MLflow URI the files stay where they are (`source` is their absolute path), since
the server may not share our disk; `--no-copy` asks for the same with a folder registry.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from chatforge.errors import UserError
from chatforge.models.load import register_spec_resolver
from chatforge.registry import lineage as lineage_mod
from chatforge.registry.promotion import decide

DEFAULT_REGISTRY = "runs/registry"
ALIASES = ("production", "candidate")
URI_SCHEME = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|sqlite:|databricks)", re.IGNORECASE)
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
T_LINEAGE, T_METRICS, T_GATE, T_PROMOTION, T_AB = (
    "chatforge.lineage",
    "chatforge.metrics",
    "chatforge.gate",
    "chatforge.promotion",
    "chatforge.ab_share",
)


class RegistryError(UserError, ValueError):
    """A registry request that cannot be satisfied (unknown name or version, bad reference, refused promotion)."""


@dataclass
class Version:
    """One registered model version as chatforge sees it."""

    name: str
    version: int
    path: str
    aliases: list[str] = field(default_factory=list)
    lineage: dict = field(default_factory=dict)
    metrics: dict = field(default_factory=dict)
    promotion: dict | None = None

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"

    def to_dict(self) -> dict:
        return {**asdict(self), "ref": self.ref}


def default_uri() -> str:
    return os.environ.get("CHATFORGE_REGISTRY") or DEFAULT_REGISTRY


def parse_ref(text: str) -> tuple[str, str]:
    """ "registry:NAME@REF" or "NAME@REF" or "NAME" -> (NAME, REF); REF defaults to production."""
    text = text.removeprefix("registry:")
    name, _, ref = text.partition("@")
    if not NAME_RE.match(name):
        raise RegistryError(f"{text!r}: expected NAME@REF with REF a version number, production, candidate or latest")
    return name, ref or "production"


def _client(uri: str):
    import logging

    from mlflow.tracking import MlflowClient

    logging.getLogger("mlflow").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return MlflowClient(tracking_uri=uri, registry_uri=uri)


class Registry:
    """A model registry at `uri` (folder or MLflow URI; default: $CHATFORGE_REGISTRY or runs/registry)."""

    def __init__(self, uri: str | Path | None = None, create: bool = True):
        self.uri = str(uri or default_uri())
        if URI_SCHEME.match(self.uri):
            self.root, self.mlflow_uri = None, self.uri
        else:
            self.root = Path(self.uri).expanduser().resolve()
            if not create and not (self.root / "mlflow.db").is_file():  # a typo must not leave an empty registry behind
                raise RegistryError(
                    f"no registry at {self.root}: register a model first, or point --registry / "
                    f"$CHATFORGE_REGISTRY at an existing one"
                )
            self.root.mkdir(parents=True, exist_ok=True)
            self.mlflow_uri = f"sqlite:///{self.root / 'mlflow.db'}"
        self.client = _client(self.mlflow_uri)

    # ---- reading -------------------------------------------------------------------------------

    def _exists(self, name: str) -> bool:
        from mlflow.exceptions import MlflowException

        try:
            self.client.get_registered_model(name)
            return True
        except MlflowException:
            return False

    def _version(self, mv) -> Version:
        tags = mv.tags or {}
        load = lambda key: json.loads(tags[key]) if key in tags else {}  # noqa: E731
        return Version(
            mv.name,
            int(mv.version),
            mv.source,
            sorted(mv.aliases or []),
            load(T_LINEAGE),
            load(T_METRICS),
            load(T_PROMOTION) or None,
        )

    def versions(self, name: str) -> list[Version]:
        """Every version of `name`, oldest first, with its aliases; RegistryError if there is no such model."""
        from mlflow.exceptions import MlflowException

        try:
            aliases = self.client.get_registered_model(name).aliases or {}
        except MlflowException:
            raise RegistryError(f"no registered model {name!r} in {self.uri}") from None
        out = sorted(
            (self._version(mv) for mv in self.client.search_model_versions(f"name='{name}'")), key=lambda v: v.version
        )
        for v in out:  # search results carry no aliases; the registered model has them
            v.aliases = sorted(a for a, n in aliases.items() if int(n) == v.version)
        return out

    def names(self) -> list[str]:
        """The registered model names, sorted."""
        return sorted(rm.name for rm in self.client.search_registered_models())

    def get(self, name: str, ref: str | int = "production") -> Version:
        """The version `ref` names: a number, `production`, `candidate` or `latest`."""
        from mlflow.exceptions import MlflowException

        ref = str(ref)
        if not self._exists(name):
            raise RegistryError(f"no registered model {name!r} in {self.uri}")
        try:
            if ref.isdigit():
                return self._version(self.client.get_model_version(name, ref))
            if ref == "latest":
                versions = self.versions(name)
                if versions:
                    return versions[-1]
                raise RegistryError(f"{name} has no versions")
            if ref in ALIASES:
                return self._version(self.client.get_model_version_by_alias(name, ref))
        except MlflowException:
            if ref in ALIASES:
                raise RegistryError(
                    f"{name} has no {ref} version yet"
                    + (" (promote one with `chatforge registry promote`)" if ref == "production" else "")
                ) from None
            raise RegistryError(f"{name} has no version {ref}") from None
        raise RegistryError(f"{name}@{ref}: REF must be a version number, production, candidate or latest")

    def resolve(self, spec: str) -> Version:
        """`registry:NAME@REF` (or NAME@REF) -> the version; its `path` is the model folder."""
        name, ref = parse_ref(spec)
        version = self.get(name, ref)
        if self.root is not None and not Path(version.path).exists():
            raise RegistryError(f"{version.ref}: its files are gone from {version.path}")
        return version

    def production(self, name: str) -> Version | None:
        try:
            return self.get(name, "production")
        except RegistryError:
            return None

    def gate(self, name: str) -> dict[str, float]:
        tags = self.client.get_registered_model(name).tags or {}
        return json.loads(tags.get(T_GATE, "{}"))

    def ab_share(self, name: str) -> float | None:
        tags = self.client.get_registered_model(name).tags or {}
        return float(tags[T_AB]) if T_AB in tags else None

    # ---- writing -------------------------------------------------------------------------------

    def set_gate(self, name: str, gate: dict[str, float]) -> None:
        """Store the gate `promote` applies to `name` when it is given none."""
        self._ensure(name)
        self.client.set_registered_model_tag(name, T_GATE, json.dumps(gate))

    def _ensure(self, name: str) -> None:
        if not NAME_RE.match(name):
            raise RegistryError(f"model name {name!r}: letters, digits, '_', '.', '-' (up to 100)")
        if not self._exists(name):
            self.client.create_registered_model(name, description="registered by chatforge")

    def _store_files(self, name: str, model: Path, digest: str, copy: bool) -> Path:
        """The folder the version will point at: a content-addressed copy, or the model folder itself."""
        if self.root is None or not copy:
            return model.resolve()
        target = self.root / "models" / name / digest[:16]
        if not target.is_dir():
            tmp = target.with_name(target.name + ".partial")
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.copytree(model, tmp, ignore=shutil.ignore_patterns(*lineage_mod.SKIP_IN_MODEL))
            tmp.rename(target)  # a copy cut short is never registered
        return target

    def register(
        self,
        name: str,
        model: str | Path,
        *,
        eval_report: str | Path | None = None,
        parent: str | None = None,
        base: str | None = None,
        data: list | None = None,
        config: str | Path | None = None,
        run_id: str | None = None,
        gate: dict[str, float] | None = None,
        metrics: dict | None = None,
        copy: bool = True,
        description: str | None = None,
    ) -> Version:
        """Register the model folder `model` as a new version of `name`, with lineage and metrics."""
        from chatforge.registry.promotion import metrics_from_report

        model = Path(model)
        if not model.is_dir() or not ((model / "config.json").is_file() or (model / "adapter_config.json").is_file()):
            raise RegistryError(f"--model {model}: not a model folder (no config.json or adapter_config.json)")
        if metrics is None and eval_report is not None:
            path = Path(eval_report)
            if not path.is_file():
                raise RegistryError(f"--eval {path}: no such report.json")
            metrics = metrics_from_report(json.loads(path.read_text(encoding="utf-8")), str(path))
        parent_info = None
        if parent:
            bare_ref = "@" not in parent and (parent.isdigit() or parent in (*ALIASES, "latest"))
            pname, pref = (name, parent) if bare_ref else parse_ref(parent)
            p = self.get(pname, pref)
            parent_info = {"name": p.name, "version": p.version, "base": p.lineage.get("base")}
        lin = lineage_mod.lineage(model, base=base, data=data, config=config, parent=parent_info, run_id=run_id)
        self._ensure(name)
        if gate:
            self.set_gate(name, gate)
        source = self._store_files(name, model, lin["model_sha256"], copy)
        tags = {
            T_LINEAGE: json.dumps(lin, default=str),
            T_METRICS: json.dumps(metrics or {}),
            "base": str(lin["base"]),
            "model_sha256": lin["model_sha256"],
            "parent": f"{parent_info['name']}@{parent_info['version']}" if parent_info else "",
        }
        mv = self.client.create_model_version(name, str(source), tags=tags, description=description)
        return self._version(mv)

    def set_alias(self, name: str, alias: str, version: int) -> None:
        self.client.set_registered_model_alias(name, alias, str(version))

    def promote(
        self,
        name: str,
        version: int | str,
        *,
        gate: dict[str, float] | None = None,
        force: bool = False,
        reason: str | None = None,
        tolerance: float = 0.0,
        baseline: dict | None = None,
    ) -> dict:
        """Move `production` to `version` if the rule in promotion.py allows it (or `force`); returns the decision.

        `baseline` replaces production's registered metrics, e.g. production re-evaluated on the
        candidate's test set in the same run (chatforge loop). A refusal raises nothing: the
        result says `promoted: false` with the reason, and callers decide how to exit.
        """
        cand = self.get(name, version)
        prod = self.production(name)
        gate = gate or self.gate(name)
        if prod is not None and prod.version == cand.version:
            return {
                "promoted": False,
                "name": name,
                "version": cand.version,
                "reason": f"{cand.ref} is already production",
                "gate": {"passed": True, "checks": []},
                "comparison": [],
                "warnings": [],
                "forced": False,
                "previous": prod.version,
            }
        decision = decide(cand.metrics, (baseline or prod.metrics) if prod else None, gate, tolerance)
        result = {
            "name": name,
            "version": cand.version,
            "previous": prod.version if prod else None,
            "gate_used": gate,
            "tolerance": tolerance,
            "forced": False,
            **decision,
        }
        if not decision["promote"] and not force:
            return {**result, "promoted": False}
        record = {
            "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "by": _who(),
            "forced": force and not decision["promote"],
            "reason": reason or decision["reason"],
            "rule_reason": decision["reason"],
            "previous": result["previous"],
            "comparison": decision["comparison"],
        }
        self.client.set_model_version_tag(name, str(cand.version), T_PROMOTION, json.dumps(record))
        if record["forced"]:
            self.client.set_model_version_tag(name, str(cand.version), "promotion_forced_by", record["by"])
            self.client.set_model_version_tag(name, str(cand.version), "promotion_forced_reason", record["reason"])
        if prod is not None:
            self.client.set_model_version_tag(name, str(prod.version), "demoted_at", record["at"])
        self.set_alias(name, "production", cand.version)
        if self.client.get_registered_model(name).aliases.get("candidate") == cand.version:
            self.end_ab(name)  # the A/B candidate won: A and B would now be the same model
        return {**result, "promoted": True, "forced": record["forced"], "record": record}

    def rollback(self, name: str, version: int | None = None, *, reason: str | None = None, via: str = "") -> dict:
        """`production` back on `version` (default: the one it replaced), past the gate: a forced promotion recorded
        as "roll back from N (via): reason". RegistryError without production, earlier version, or if it serves."""
        prod = self.get(name, "production")
        target = version or (prod.promotion or {}).get("previous")
        if not target:
            raise RegistryError(f"{prod.ref} replaced no earlier version: name the version to roll back to")
        if int(target) == prod.version:
            raise RegistryError(f"{prod.ref} is already production: nothing to roll back")
        why = f"roll back from {prod.version}" + (f" ({via})" if via else "") + (f": {reason}" if reason else "")
        return self.promote(name, int(target), force=True, reason=why)

    def start_ab(self, name: str, version: int, share: float) -> None:
        """Mark `version` as the candidate served to `share` of users (`serve --model-b registry:NAME@candidate`)."""
        if not 0 < share <= 1:
            raise RegistryError(f"--ab-share {share}: a share in (0, 1]")
        self.set_alias(name, "candidate", version)
        self.client.set_registered_model_tag(name, T_AB, str(share))

    def end_ab(self, name: str) -> None:
        """Drop the `candidate` alias and its share (a server on @candidate keeps its last version, logged)."""
        self.client.delete_registered_model_alias(name, "candidate")
        self.client.delete_registered_model_tag(name, T_AB)


def _who() -> str:
    try:
        return os.environ.get("CHATFORGE_USER") or getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


_CACHE: dict[str, Registry] = {}


def resolve_spec(spec: str, uri: str | None = None) -> Version:
    """For the model loader: `registry:NAME@REF` against `uri` or the default registry (one client per process)."""
    key = str(uri or default_uri())
    key = key if URI_SCHEME.match(key) else str(Path(key).expanduser().resolve())
    if key not in _CACHE:
        _CACHE[key] = Registry(key, create=False)
    return _CACHE[key].resolve(spec)


def _version_folder(spec: str) -> str:
    return resolve_spec(spec).path


register_spec_resolver("registry:", _version_folder)  # every stage's --model accepts registry:NAME@REF
