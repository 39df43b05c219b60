"""API fuzzing: schemathesis drives every operation of `/openapi.json` on a live tiny-model server; no 5xx allowed.

    .venv/bin/python -m pytest -q -s tests/serve/test_fuzz_api.py

Each operation gets up to `POSITIVE` schema-valid and `NEGATIVE` schema-violating requests (Hypothesis,
fixed seed, no example database), sent with an admin key that also holds every other role, so that the
requests reach the handlers rather than stopping at 401/403. Schemathesis's `not_a_server_error` check
judges each response. The run prints `operations / cases / failures` (the README quotes it).
"""

from __future__ import annotations

import time
from collections import Counter

import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

POSITIVE, NEGATIVE = 40, 20  # examples per operation and mode (fewer where the schema allows fewer): ~20 s here
ROLES = ["admin", "annotator", "reviewer", "support", "public"]
CHAT = "POST /v1/chat/completions"


def _user_turn(case):
    """The schema lets any role speak last, the handler answers only a user's turn (422 otherwise): this pass ends
    each generated conversation with a user message, so that the fuzzed fields reach retrieval and generation."""
    if isinstance(case.body, dict) and isinstance(case.body.get("messages"), list):
        last = case.body["messages"][-1] if case.body["messages"] else {}
        content = (
            last.get("content") if isinstance(last, dict) and isinstance(last.get("content"), str) else "Bonjour ?"
        )
        case.body["messages"] = [*case.body["messages"][:-1], {"role": "user", "content": content}]
    return case


def _fuzz(operation, mode: GenerationMode, n: int, headers: dict, seen: dict, failures: list, shape=None) -> None:
    strategy = operation.as_strategy(generation_mode=mode)

    @seed(20261203)
    @settings(
        max_examples=n, deadline=None, database=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck)
    )
    @given(case=strategy.map(shape) if shape else strategy)
    def run(case):
        try:
            response = case.call(headers=headers, timeout=60)
            seen.setdefault(operation.label, Counter())[response.status_code] += 1
            case.validate_response(response, checks=[not_a_server_error])
        except* AssertionError as group:  # schemathesis's check failures: keep going, report them all at the end
            reasons = "; ".join(str(exc).strip().splitlines()[0] for exc in group.exceptions)
            failures.append(
                f"{operation.label} [{mode.value}]: {reasons}\n"
                f"    reproduce: {case.as_curl_command(headers={'Authorization': 'Bearer KEY'})}"
            )

    try:
        run()
    except Unsatisfiable:  # no parameter and no body: nothing to make invalid in negative mode
        assert mode is GenerationMode.NEGATIVE, operation.label


def test_no_operation_answers_5xx(serve, engine_a):
    # max_tokens_cap: a generated request asks for thousands of tokens; 4 keep every answer fast on the tiny model
    server, store = serve(engines={"A": engine_a}, rate_limit_per_minute=0, max_tokens_cap=4, default_max_tokens=4)
    key, _ = store.create_key("fuzz-admin", ROLES)
    headers = {"Authorization": f"Bearer {key}"}
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    seen: dict[str, Counter] = {}  # operation -> status code -> count
    failures: list[str] = []
    t0 = time.monotonic()
    for operation in operations:
        for mode, n in ((GenerationMode.POSITIVE, POSITIVE), (GenerationMode.NEGATIVE, NEGATIVE)):
            _fuzz(operation, mode, n, headers, seen, failures)
        if operation.label == CHAT:
            _fuzz(operation, GenerationMode.POSITIVE, POSITIVE, headers, seen, failures, shape=_user_turn)
    seconds = time.monotonic() - t0
    print(
        f"\nschemathesis: {len(operations)} operations, {sum(c.total() for c in seen.values())} cases, "
        f"{len(failures)} failures, {seconds:.0f} s"
    )
    for label, codes in seen.items():
        print(f"  {codes.total():>4}  {label:<48} {dict(sorted(codes.items()))}")
    assert len(operations) >= 15 and all(seen.get(op.label) for op in operations), seen
    assert seen[CHAT][200] >= 10, seen[CHAT]  # answers were generated, not only refused
    assert not failures, "\n".join(failures)
