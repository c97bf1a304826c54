# Jixiao: two entry points for a fresh machine.
#   make run   installs everything into .venv, reads and audits the sample documents, generates their
#              forms and reports (out/), loads them into the web app and serves it (SQLite, .jixiao/)
#   make test  installs everything into .venv and runs lint, types and tests
PY ?= python3
UV := $(shell command -v uv 2>/dev/null || echo .bootstrap/bin/uv)
VENV := .venv
SAMPLES := $(wildcard ../shared/seeds/*.txt) $(wildcard ../shared/corpus/*.pdf) $(wildcard ../shared/corpus/*.xls*)
ifeq ($(strip $(SAMPLES)),)
SAMPLES := $(wildcard tests/data/seeds/*.txt) $(wildcard tests/data/corpus/*.pdf) $(wildcard tests/data/corpus/*.xls*)
endif

.PHONY: run test test-postgres install lint typecheck bench docs clean

.bootstrap/bin/uv:
	$(PY) -m venv .bootstrap
	.bootstrap/bin/pip install -q uv

$(VENV)/.installed: pyproject.toml uv.lock tools/system-packages.sh | $(UV)
	tools/system-packages.sh
	$(UV) sync --frozen --python $(PY)
	touch $@

install: $(VENV)/.installed

run: install
	$(VENV)/bin/jixiao inspect $(SAMPLES)
	mkdir -p out
	$(VENV)/bin/jixiao check $(SAMPLES) --jobs 0 --format xlsx -o out/audit.xlsx --annotate out/annotated; test $$? -le 1
	$(VENV)/bin/jixiao check $(SAMPLES) --jobs 0 --format html -o out/audit.html; test $$? -le 1
	$(VENV)/bin/jixiao check $(SAMPLES) --jobs 0; test $$? -le 1
	mkdir -p out/generated
	for f in $(filter %.txt,$(SAMPLES)); do for t in xlsx docx pdf; do \
		$(VENV)/bin/jixiao render $$f --to $$t -o out/generated/$$(basename $$f .txt).$$t || exit 1; done; done
	$(VENV)/bin/jixiao demo $(SAMPLES); test $$? -le 1
	$(VENV)/bin/jixiao serve

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

typecheck: install
	$(VENV)/bin/mypy
	$(VENV)/bin/mypy bench

test: lint typecheck
	$(VENV)/bin/pytest

# the web app's tests again on PostgreSQL (Debian's postgresql, started by tools/postgres.sh)
test-postgres: install
	url=$$(tools/postgres.sh) && DATABASE_URL="$$url" $(VENV)/bin/pytest tests/web

bench: install
	$(VENV)/bin/python bench/parse.py
	$(VENV)/bin/python bench/check.py
	$(VENV)/bin/python bench/score.py
	$(VENV)/bin/python bench/render.py

docs: install
	$(VENV)/bin/python -m jixiao.docs

clean:
	rm -rf $(VENV) .bootstrap .pytest_cache .mypy_cache .ruff_cache
