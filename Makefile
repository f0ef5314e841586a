# newsarchive: `make demo` and `make test` are all a new user needs (README, Quick start).
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DEMO_DIR ?= data/demo

.PHONY: setup demo test lint bench bench-extract bench-reindex bench-browse bench-recapture bench-incremental bench-frontier tools clean

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

# `newsarchive reindex` vs a single-process warcio + trafilatura loop over the same WARC files.
bench-reindex: setup
	$(PY) bench/reindex.py $(BENCH_ARGS)

# `newsarchive export` vs `sqlite-utils rows`, `newsarchive serve` pages vs plain `datasette` (~1 min).
bench-browse: setup
	$(PY) bench/browse.py $(BENCH_ARGS)

# Incremental runs: per-request "archived already? due?" decision on a 100k-article archive (~3 s).
bench-recapture: setup
	$(PY) bench/recapture.py $(BENCH_ARGS)

# An hourly re-run of a 500-page site with 10 new pages: incremental vs a full re-crawl (~30 s).
bench-incremental: setup
	$(PY) bench/rerun.py $(BENCH_ARGS)

# A sitemap index of 500,000 URLs: peak memory with pending requests on disk vs all in memory (~2.5 min).
bench-frontier: setup
	$(PY) bench/frontier.py $(BENCH_ARGS)

# pywb and wacz in a venv of their own (pywb's brotlipy would break Scrapy's brotli in .venv); ~20 s once.
TOOLS_VENV ?= .venv-tools
$(TOOLS_VENV)/.installed: requirements-tools.txt
	test -x $(TOOLS_VENV)/bin/python || python3 -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/python -m pip install -q --disable-pip-version-check -r requirements-tools.txt
	touch $@

tools: $(TOOLS_VENV)/.installed

# Crawl throughput, memory and search latency side by side with the references (bench/run.py; ~6 min).
# Sizes: make bench BENCH_ARGS="--pages 500 --big-pages 2000 --rounds 2 --articles 20000"
bench: setup
	$(PY) bench/run.py --results bench/RESULTS.md $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(TOOLS_VENV) data build *.egg-info
