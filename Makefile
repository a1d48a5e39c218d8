# Softmax Digits. Two commands do everything on a fresh machine: `make serve` and `make test`.
.DEFAULT_GOAL := help
PY := .venv/bin/python

help: ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

serve: ## set up, assemble the runtime and serve the site on http://127.0.0.1:8000/
	@scripts/site/setup.sh
	@python3 scripts/site/serve.py --port $${PORT:-8000}

test: ## set up everything (Chromium, .venv, runtime) and run lint, unit and browser tests
	@scripts/site/setup.sh --test
	@$(PY) -m ruff check . && $(PY) -m ruff format --check --quiet .
	@$(PY) -m pytest

build: ## build the GitHub Pages artefact into _site/
	@scripts/site/setup.sh
	@python3 scripts/site/build_site.py --out _site

check-questions: ## validate the question files, every language's (or FILE=path) with the page's validator
	@python3 scripts/site/check_questions.py $(FILE)

train: ## retrain the digit network (writes assets/model.npz and assets/model.json)
	@scripts/site/setup.sh --test
	@$(PY) scripts/model/train.py

eval-drawn: ## score the shipped network on rendered pen-stroke digits, and drawn with the real mouse
	@scripts/site/setup.sh --test
	@$(PY) scripts/model/eval_drawn.py
	@$(PY) scripts/model/eval_mouse.py

bench: ## benchmarks in real Chromium: start-up, update latency, memory
	@scripts/site/setup.sh --test
	@$(PY) scripts/bench/bench_startup.py
	@$(PY) scripts/bench/bench_updates.py
	@$(PY) scripts/bench/bench_sandbox.py
	@$(PY) scripts/bench/bench_learn.py
	@$(PY) scripts/bench/bench_forward.py
	@$(PY) scripts/bench/bench_memory.py
	@$(PY) scripts/bench/bench_head.py
	@$(PY) scripts/bench/bench_by_hand.py

audit: ## Lighthouse on the built site, mobile and desktop: scores and metrics
	@scripts/site/setup.sh --test
	@$(PY) scripts/site/audit.py

.PHONY: help serve test build check-questions train eval-drawn bench audit
