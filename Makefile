# Technopolice: every target goes through ./dev, so the Makefile, .ci/run and a developer's
# shell never drift apart. `make` alone lists the targets.
.DEFAULT_GOAL := help
.PHONY: help setup demo test lint format messages bench ci

PY := .venv/bin/python
# The same extraction as technopolice/pages/tests/test_translations.py: the package only (each app into
# its own locale/), never the tests' strings nor the vendored libraries.
MAKEMESSAGES := cd technopolice && ../$(PY) -m technopolice makemessages -l fr -l en --no-obsolete \
	-i 'tests/*' -i 'static/vendor'

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: ## Set up: Python venv, JavaScript libraries, Debian packages, translations
	./dev setup

demo: ## Serve the platform with the demo data and the worker on http://127.0.0.1:8000 (PORT=8080 make demo to change)
	./dev demo

test: ## Run the whole test suite on SQLite, or on DATABASE_URL (ARGS="-k dossier" for pytest)
	./dev test $(ARGS)

lint: ## Check style and common bugs (ruff) and the layers between apps (import-linter), as CI does
	./dev lint

format: setup ## Rewrite the code in ruff's format and apply ruff's safe fixes
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

messages: setup ## Extract the strings to translate (fr, en) into each app's locale/, then compile them
	$(MAKEMESSAGES)
	$(MAKEMESSAGES) -d djangojs
	cd technopolice && ../$(PY) -m technopolice compilemessages

bench: ## Run every benchmark in bench/ (prints figures; BENCH_ARGS="--dossiers 2000" for a quick run)
	./dev bench $(BENCH_ARGS)

ci: ## What CI runs: the test suite on SQLite, then on PostgreSQL
	.ci/run
