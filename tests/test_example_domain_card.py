"""The shipped example domain keeps the counts and schema its dataset card promises."""

import subprocess
import sys

from tests.conftest import DOMAIN


def _run(script: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(DOMAIN / "scripts" / script)], capture_output=True, text=True, timeout=120
    )


def test_knowledge_faq_and_testset_checks_pass():
    res = _run("check_domain.py")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.strip().endswith("OK")


def test_logs_general_and_preferences_checks_pass():
    res = _run("check_generated.py")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "all checks passed" in res.stdout
