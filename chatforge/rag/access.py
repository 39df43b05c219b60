"""Who may read a document: roles from a sidecar `access.yaml` or the document's front matter.

`access.yaml` sits at the root of a document folder (or is given with `--set access_file=...`):

    rules:
      - glob: "public/**"
        roles: [public, support]
      - glob: "finance/**"
        roles: [finance]

Globs are matched against the path relative to that root, and the first matching rule wins:
the sidecar is the administrator's file, so it takes precedence. A Markdown document with no
matching rule may carry `roles: [a, b]` in its front matter. A document labelled by neither is
given `default_roles` when those are set, and is otherwise refused: access fails closed. A rule
with an empty role list makes a document readable by nobody, which also means it is refused.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path

from chatforge.config import read_yaml
from chatforge.data.records import Document
from chatforge.errors import ConfigError

ACCESS_FILE = "access.yaml"


@dataclass
class AccessRule:
    glob: str
    roles: list[str]


def _role_list(value, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(r, str) and r.strip() for r in value):
        raise ConfigError(f"{where}: roles must be a list of non-empty strings (got {value!r})")
    return [r.strip() for r in value]


def load_rules(path: str | Path) -> list[AccessRule]:
    """Parse an access file; a malformed one is a ConfigError (never silently 'no rules')."""
    data = read_yaml(path)
    rules = data.get("rules")
    if not isinstance(rules, list):
        raise ConfigError(f"{path}: expected a top-level 'rules:' list of {{glob, roles}}")
    out = []
    for i, rule in enumerate(rules):
        if not isinstance(rule, dict) or not isinstance(rule.get("glob"), str) or "roles" not in rule:
            raise ConfigError(f"{path}: rule {i + 1} needs 'glob' (string) and 'roles' (list)")
        out.append(AccessRule(rule["glob"], _role_list(rule["roles"] or [], f"{path}: rule {i + 1}")))
    return out


def match_rule(rules: list[AccessRule], rel_path: str) -> AccessRule | None:
    """First rule whose glob matches the POSIX relative path (`**` and `*` both cross folders)."""
    for rule in rules:
        if fnmatch.fnmatchcase(rel_path, rule.glob) or fnmatch.fnmatchcase(rel_path, rule.glob.replace("**/", "")):
            return rule
    return None


def document_roles(
    doc: Document | None, rel_path: str, rules: list[AccessRule], default_roles: list[str] | None
) -> tuple[list[str] | None, str]:
    """(roles, where they came from) or (None, reason the document is refused)."""
    rule = match_rule(rules, rel_path)
    if rule is not None:
        if not rule.roles:
            return None, f"access rule {rule.glob!r} grants no role"
        return list(dict.fromkeys(rule.roles)), f"access.yaml:{rule.glob}"
    meta_roles = (doc.meta or {}).get("roles") if doc is not None else None
    if meta_roles:
        return list(dict.fromkeys(_role_list(meta_roles, f"{rel_path}: front matter"))), "front matter"
    if default_roles:
        return list(dict.fromkeys(default_roles)), "default roles"
    return None, "no access label (access.yaml rule or front matter 'roles'); pass --default-roles to allow"
