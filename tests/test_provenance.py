"""The one run-record writer: config.yaml (secrets masked) and metrics.json with input hashes and versions."""

import hashlib
import json

import yaml
from pydantic import BaseModel

from chatforge.provenance import record_run


class _Cfg(BaseModel):
    model: str = "tiny"
    backend_url: str = "postgresql://bot:s3cr3t@db/chat"


def test_record_run_writes_config_inputs_versions_and_metrics(tmp_path):
    data = tmp_path / "train.jsonl"
    data.write_text('{"a": 1}\n', encoding="utf-8")
    out = tmp_path / "run"
    out.mkdir()
    returned = record_run(out, _Cfg(), {"loss": 0.5}, [data], ["pydantic"])
    written = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert written == returned
    assert written["loss"] == 0.5
    assert written["inputs"] == {str(data): hashlib.sha256(data.read_bytes()).hexdigest()}
    assert {"python", "chatforge", "pydantic"} <= set(written["versions"])
    config = (out / "config.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(config)["model"] == "tiny" and "s3cr3t" not in config
    assert not list(out.glob("*.tmp"))
