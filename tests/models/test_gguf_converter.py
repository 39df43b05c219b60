"""llama.cpp's converter as both GGUF paths run it (models.export.run_converter): the arguments it is given, its file
kept when it writes one, and a ModelError with its last lines when it fails or writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chatforge.errors import ModelError
from chatforge.models import gguf_export
from chatforge.models.export import run_converter


def _converter(tmp_path: Path, body: str) -> Path:
    """A stand-in for convert_hf_to_gguf.py: it records its arguments, then runs `body` (`out`: the --outfile)."""
    script = tmp_path / "convert_hf_to_gguf.py"
    script.write_text(
        "import json, sys\n"
        "args = sys.argv[1:]\n"
        "out = args[args.index('--outfile') + 1]\n"
        f"open({str(tmp_path / 'args.json')!r}, 'w').write(json.dumps(args))\n" + body,
        encoding="utf-8",
    )
    return script


def test_a_converter_that_writes_its_file(tmp_path):
    script = _converter(tmp_path, "open(out, 'wb').write(b'GGUF')\n")
    target = tmp_path / "model.gguf"
    run_converter(script, tmp_path / "model", target, "F16")
    assert target.read_bytes() == b"GGUF"
    args = json.loads((tmp_path / "args.json").read_text(encoding="utf-8"))
    assert args == [str(tmp_path / "model"), "--outfile", str(target), "--outtype", "f16"]


@pytest.mark.parametrize(
    "body,exit_code",
    [
        ("print('unknown BPE pre-tokenizer', file=sys.stderr)\nsys.exit(3)\n", 3),
        ("print('unknown BPE pre-tokenizer', file=sys.stderr)\n", 0),  # exit 0 but no file: a failure all the same
    ],
)
def test_a_failing_converter_is_reported_with_its_last_lines(tmp_path, body, exit_code):
    script = _converter(tmp_path, body)
    with pytest.raises(ModelError, match=rf"could not convert .* \(exit {exit_code}\); kept here; its last lines:\n"):
        run_converter(script, tmp_path / "model", tmp_path / "model.gguf", "f16", kept="; kept here")
    with pytest.raises(ModelError, match="unknown BPE pre-tokenizer"):
        run_converter(script, tmp_path / "model", tmp_path / "model.gguf", "f16")


def test_a_non_llama_folder_goes_through_the_converter(tmp_path, monkeypatch):
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"model_type": "gemma3"}), encoding="utf-8")
    script = _converter(tmp_path, "open(out, 'wb').write(b'GGUF-gemma')\n")
    monkeypatch.setenv("CHATFORGE_GGUF_CONVERTER", str(script))
    gguf_export.write_gguf_file(folder, tmp_path / "out.gguf", "Q8_0")
    assert (tmp_path / "out.gguf").read_bytes() == b"GGUF-gemma"
    assert json.loads((tmp_path / "args.json").read_text(encoding="utf-8"))[-1] == "q8_0"
    broken = _converter(tmp_path, "sys.exit(2)\n")
    monkeypatch.setenv("CHATFORGE_GGUF_CONVERTER", str(broken))
    with pytest.raises(ModelError, match=r"could not convert .*model to GGUF \(exit 2\); its last lines"):
        gguf_export.write_gguf_file(folder, tmp_path / "again.gguf", "f16")
