"""The docs stay true to the code: generated references current, every relative link pointing at something that exists.

docs/cli.md and docs/config.md are generated from the Typer app and the pydantic configs by scripts/gen_docs.py
(`make docs`); regenerating them into a temporary folder must give the committed files. Every relative link in
README.md, docs/, CHANGELOG.md, benchmarks/README.md and the examples' RESULTS.md must point at an existing file,
and a `#fragment` into a Markdown file at one of its headings.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def _doc_files() -> list[Path]:
    files = [ROOT / "README.md", ROOT / "CHANGELOG.md", ROOT / "benchmarks" / "README.md"]
    files += sorted((ROOT / "docs").rglob("*.md")) + sorted((ROOT / "examples").glob("*/RESULTS.md"))
    return [f for f in files if f.is_file()]


def _anchor(heading: str) -> str:
    return re.sub(r"[^a-z0-9 _-]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return {_anchor(m.group(1)) for m in re.finditer(r"^#{1,6} (.+)$", text, re.MULTILINE)}


def test_generated_references_are_current(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_docs.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    for name in ("cli.md", "config.md"):
        committed = ROOT / "docs" / name
        assert committed.is_file(), f"docs/{name} is missing: run make docs"
        assert committed.read_text(encoding="utf-8") == (tmp_path / name).read_text(encoding="utf-8"), (
            f"docs/{name} differs from what the code generates: run make docs"
        )


def test_relative_links_point_at_existing_files():
    broken = []
    checked = 0
    for doc in _doc_files():
        text = FENCE.sub("", doc.read_text(encoding="utf-8"))
        for target in LINK.findall(text):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
                continue
            path_part, _, fragment = target.partition("#")
            dest = (doc.parent / path_part).resolve() if path_part else doc
            checked += 1
            if not dest.exists():
                broken.append(f"{doc.relative_to(ROOT)}: {target} (no such file)")
            elif fragment and dest.suffix == ".md" and fragment not in _anchors(dest):
                broken.append(f"{doc.relative_to(ROOT)}: {target} (no such heading)")
    assert checked > 0
    assert not broken, "broken links:\n" + "\n".join(broken)


@pytest.mark.parametrize("page", ["index.md", "troubleshooting.md", "python-api.md"])
def test_docs_pages_exist(page):
    assert (ROOT / "docs" / page).is_file()


def test_python_api_page_names_importable_functions():
    """Every `from chatforge... import ...` and dotted `chatforge.x.y.name` in docs/python-api.md resolves."""
    import importlib
    import importlib.util

    text = (ROOT / "docs" / "python-api.md").read_text(encoding="utf-8")
    missing = []
    for module, names in re.findall(r"^from (chatforge[\w.]*) import ([\w, ]+)$", text, re.MULTILINE):
        mod = importlib.import_module(module)
        missing += [f"{module}.{n.strip()}" for n in names.split(",") if not hasattr(mod, n.strip())]
    for dotted in set(re.findall(r"`(chatforge(?:\.\w+)+)", text)):
        module, _, name = dotted.rpartition(".")
        try:
            found = hasattr(importlib.import_module(module), name)
        except ImportError:
            found = importlib.util.find_spec(dotted) is not None
        if not found:
            missing.append(dotted)
    assert not missing, f"docs/python-api.md names what the package no longer has: {missing}"


def test_source_files_named_in_the_docs_exist():
    """A `path/to/file.py` (or a bare `file.py`) quoted in the docs names a file of the repository."""
    external = {"convert_hf_to_gguf.py"}  # llama.cpp's converter, found at run time
    files = ["/" + p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*.py") if ".venv" not in p.parts]
    missing = []
    for doc in _doc_files():
        for quoted in re.findall(r"`([\w./-]+\.py)`", doc.read_text(encoding="utf-8")):
            if quoted not in external and not any(f.endswith("/" + quoted) for f in files):
                missing.append(f"{doc.relative_to(ROOT)}: {quoted}")
    assert not missing, "the docs name files that do not exist:\n" + "\n".join(sorted(set(missing)))
