# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
# Both create .venv if needed, install torch==2.13.0 (CPU) first, then chatforge; both are idempotent.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
STAMP  := $(VENV)/.chatforge-installed
DOMAIN := examples/hirondelle-air
RUN    ?= runs/demo
PROFILE ?=

.PHONY: setup browser demo test docs bench clean help

help:
	@echo "make demo   # set up, then run the example pipeline ($(DOMAIN)/pipeline.yaml) and serve the result"
	@echo "make demo PROFILE=tiny   # the same graph on a tiny model, in minutes"
	@echo "make test   # set up, then lint (ruff check, ruff format --check) and run the whole test suite"
	@echo "make docs   # regenerate docs/cli.md and docs/config.md from the commands and configs"
	@echo "make bench  # run every benchmark (3 repeats each), write benchmarks/results.json and benchmarks/README.md"
	@echo "make bench BENCH=quick   # a smaller set (tiny models, fewer items): 6 min 18 s on 2 cores (2026-12-03)"

$(PY):
	$(PYTHON) -m venv $(VENV)

# torch is pinned and installed before anything that depends on it: an unpinned
# torch would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml | $(PY)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[dev]'
	$(PY) scripts/fetch_gguf_converter.py  # llama.cpp's HF -> GGUF converter (Gemma and other non-Llama exports)
	touch $(STAMP)

setup: $(STAMP)

# The whole graph (prepare -> sft -> rm -> dpo -> export -> rag -> eval -> register -> promote -> serve):
# cached per stage, so a second `make demo` goes straight to serving; a killed one resumes.
demo: setup
	RUN=$(RUN) DOMAIN=$(DOMAIN) PROFILE=$(PROFILE) CF=$(VENV)/bin/chatforge bash scripts/demo.sh

# Browser tests drive Debian's Chromium; the PostgreSQL variant of the store tests needs Debian's server
# (those tests skip, with the reason, when it cannot start).
browser:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
	command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || (apt-get update && apt-get install -y postgresql) || true

# ruff lints and checks the formatting first ([tool.ruff] in pyproject.toml; `ruff format .` applies it).
test: setup browser
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest -q

# The CLI and configuration references are generated from the code (tests/test_docs_current.py checks them).
docs: setup
	$(PY) scripts/gen_docs.py

# Every benchmark, or the quick set, in its own process; results.json keeps each one's last JSON line with its
# command, date and machine, and benchmarks/README.md is generated from it (scripts/gen_bench_readme.py).
BENCH ?= full
bench: setup
	$(PY) benchmarks/run_all.py --set $(BENCH)

clean:
	rm -rf $(RUN) .pytest_cache
