# Two commands on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint clean install

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	@mkdir -p out
	$(BIN)/newsfacts extract corpus/ --output out/facts.jsonl

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/pip install -q -e '.[lint]'
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy -p newsfacts

# Bytecode first: with PYTHONDONTWRITEBYTECODE set, an editable install would otherwise
# compile the package's source again in every process the bench starts.
bench: $(STAMP)
	$(BIN)/python -m compileall -q src
	$(BIN)/python bench/bench_extract.py

clean:
	rm -rf out build *.egg-info src/*.egg-info
