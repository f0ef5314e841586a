# newsarchive: `make demo` and `make test` are all a new user needs (README, Quick start).
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DEMO_DIR ?= data/demo

.PHONY: setup demo test lint bench bench-extract clean

setup: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

demo: setup
	$(PY) tests/demo.py --archive-dir $(DEMO_DIR)

test: setup
	$(PY) -m pytest -q -n 2 --dist loadfile

lint: setup
	$(VENV)/bin/ruff check archive crawler spiders tests bench

bench-extract: setup
	$(PY) bench/extract.py

# Crawl throughput, memory and search latency side by side with the references (bench/run.py; ~15 min).
# Sizes: make bench BENCH_ARGS="--pages 500 --big-pages 2000 --rounds 2 --articles 20000"
bench: setup
	$(PY) bench/run.py --results bench/RESULTS.md $(BENCH_ARGS)

clean:
	rm -rf $(VENV) data build *.egg-info
