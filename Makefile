# Every target builds what it needs: a fresh clone runs `make demo` or `make test` directly.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
N      ?= 10000

.PHONY: demo test lint eval bench clean

$(BIN)/newsdex: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(BIN)/newsdex
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(VENV)/.eval: $(VENV)/.dev
	$(BIN)/pip install --quiet -e '.[dev,eval]'
	touch $@

demo: $(BIN)/newsdex
	$(BIN)/newsdex index seeds/
	$(BIN)/newsdex search 'joint exercises' --facet outlet --facet author --facet year

test: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: $(VENV)/.dev
	$(BIN)/ruff check .

eval: $(VENV)/.eval
	$(BIN)/python -m tests.eval.run

# `make bench N=100000`; other options through BENCH_ARGS (docs/benchmarks.md), e.g.
# `make bench BENCH_ARGS="--skip floor,split"` while working on search.
bench: $(VENV)/.dev
	$(BIN)/python -m bench.run --files $(N) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) index/_* index/*.toc index/*.seg index/*.lock
