# The book's two commands: `make book` builds the site, `make test` runs every test.
# Both create .venv on first use; nothing else needs installing by hand.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
# no progress bars in executed notebooks: they would be stored in the outputs
export HELPERS_PROGRESS := 0
export PYTHONHASHSEED := 0

.PHONY: book test quick unit nbvals nbval nbval-generic site site-deps lint execute figures lab \
	assignments clean help lock lowest

help:
	@echo "make book     build the site into _build/html (creates .venv on first use)"
	@echo "make test     lint, unit tests, nbval over every notebook, the site in a browser"
	@echo "make quick    lint and the unit tests not marked slow (about a minute)"
	@echo "make site     build the site and test it in Chromium (part of make test)"
	@echo "make lab      open the notebooks in JupyterLab"
	@echo "make execute  re-run the notebooks in place, saving outputs and widget state"
	@echo "make figures  embed book/figures/*.svg into the notebooks that show them"
	@echo "make assignments  student notebooks (solutions cleared) into _build/assignments"
	@echo "make lock     regenerate the locks (requirements.txt, tests/requirements.txt) from the .in files"
	@echo "make lowest   execute every chapter with pyproject.toml's lowest versions (_build/lowest)"

# Test runs use both cores: pytest-xdist workers for the unit and site tests, the two nbval
# passes side by side. One intra-op thread per process: two processes with two threads each on
# two cores spin and wait (70x slower measured here); the chapters train on one thread anyway.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
XDIST = -n $(JOBS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# requirements.txt is the lock of the book's environment, every package pinned (pip too); the
# book's own helpers go in editable and without dependencies, since the lock has them all.
# Re-install only when the lock or the package changes.
$(VENV)/.installed: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet "$$(grep -m1 '^pip==' requirements.txt)"
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: tests/requirements.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r tests/requirements.txt
	touch $@

# The locks, from the top-level lists requirements.in and tests/requirements.in, with pip-tools
# in a venv of its own. pip-compile keeps every pin already in a lock; UPGRADE=numpy (or
# UPGRADE="numpy matplotlib") moves those packages to their newest release, UPGRADE=all moves
# everything. It resolves for this machine: Linux, Python 3.11, torch's CPU build from local disk,
# whose local version label (+cpu) is dropped so that `torch==2.13.0` also matches the CPU index
# and macOS's PyPI wheel. Index and find-links settings stay out of the files (pip's own config).
PIP_TOOLS := pip-tools==7.6.2
LOCK_VENV := _build/lock-tools
LOCK = CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet --allow-unsafe \
	--strip-extras --no-emit-find-links --no-emit-index-url --no-emit-trusted-host \
	$(if $(filter all,$(UPGRADE)),--upgrade,$(foreach p,$(UPGRADE),--upgrade-package $(p)))
lock:
	test -x $(LOCK_VENV)/bin/python || $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet "$$(grep -m1 '^pip==' requirements.txt)" $(PIP_TOOLS)
	$(LOCK) -o requirements.txt requirements.in
	$(LOCK) -o tests/requirements.txt tests/requirements.in
	sed -i -E 's/^(torch==[^+ ]+)\+cpu$$/\1/' requirements.txt tests/requirements.txt
	@echo "Locked: $$(grep -c '==' requirements.txt) packages for the book, \
	$$(grep -c '==' tests/requirements.txt) for the tests. Then: make execute, make test."

# Sphinx writes nothing when no page changed, not even book/_static: --all if a static file did.
# The execution cache is keyed on the notebooks' code only, so a change to helpers (a new
# stepper, say) would leave the site showing the old outputs: then the cache is dropped.
book: $(VENV)/.installed
	@start=$$(date +%s); \
	all=$$(find book/_static -newer _build/html/objects.inv 2>/dev/null | head -1); \
	if [ -d _build/.jupyter_cache ] && { [ ! -f _build/.helpers-executed ] || \
		[ -n "$$(find helpers -type f -newer _build/.helpers-executed | head -1)" ]; }; then \
		echo "helpers changed since the last build: notebooks run again"; \
		rm -rf _build/.jupyter_cache; all=1; \
	fi; \
	$(BIN)/jupyter-book build . --path-output . -W -n --keep-going $${all:+--all} || exit 1; \
	touch _build/.helpers-executed; \
	echo "Built in $$(( $$(date +%s) - start )) s. Open $(CURDIR)/_build/html/index.html"

# Every unit test, the slow ones included, on $(JOBS) workers. A test file goes to one worker
# whole (loadfile): several build a costly module fixture (a benchmark's re-run, the handed-out
# notebooks) that would otherwise be built once per worker. (--dist loadgroup, which could group
# only those files, is silently ignored by pytest-xdist 3.8 under pytest 9: it renames
# item._nodeid, which pytest 9 no longer reads.) tests/conftest.py starts the slow files first.
UNIT = OMP_NUM_THREADS=1 $(BIN)/python -m pytest tests -q $(XDIST) --dist loadfile
unit: $(VENV)/.installed-test
	$(UNIT) -m "not site"

# while you work: lint and the unit tests not marked slow
quick: lint
	$(UNIT) -m "not site and not slow"

NBVAL = $(BIN)/python -m pytest --nbval --nbval-current-env \
	--nbval-sanitize-with tests/nbval_sanitize.cfg -q -p no:cacheprovider notebooks/

nbval: $(VENV)/.installed-test
	$(NBVAL)

# nbval again on the code paths another CPU takes: PyTorch's generic kernels (no AVX), MKL and
# oneDNN without AVX, one OpenMP thread. A stored output that depends on the last digits of a
# float fails here, not on a learner's laptop (benchmarks/cpu_paths.py measures what moves).
nbval-generic: $(VENV)/.installed-test
	ATEN_CPU_CAPABILITY=default MKL_ENABLE_INSTRUCTIONS=SSE4_2 ONEDNN_MAX_CPU_ISA=SSE41 \
		OMP_NUM_THREADS=1 $(NBVAL)

# both nbval passes side by side, one kernel each (they share no file: -p no:cacheprovider);
# each pass's report is printed whole when it ends (--output-sync)
nbvals: $(VENV)/.installed-test
	$(MAKE) --no-print-directory -j2 --output-sync=target nbval nbval-generic

# ruff's lint rules and its formatting, on the code and on the notebooks (pyproject.toml), and
# mypy's type checks of helpers/ and benchmarks/ (settings in pyproject.toml)
lint: $(VENV)/.installed-test
	$(BIN)/ruff check helpers tests benchmarks notebooks book/_ext
	$(BIN)/ruff format --check helpers tests benchmarks notebooks book/_ext
	$(BIN)/mypy

# one stage after the other, each on both cores
test: lint unit nbvals site

# the freshly built site in Chromium (tests/site), on $(JOBS) workers, each with its own browser
# and server; screenshots go to _build/screenshots
site: book site-deps
	$(BIN)/python -m pytest tests/site -q -m site $(XDIST)

# Debian's Chromium and a font for the glossary's Japanese (needs root) and npm copies of the CDN files the pages load, when missing
# (axe-core for the accessibility tests comes the same way, when the tests start);
# if Chromium cannot be installed the site tests fail and say so
site-deps: $(VENV)/.installed-test
	@{ test -x /usr/bin/chromium && dpkg -s fonts-ipafont-gothic >/dev/null 2>&1; } || { \
	  echo "Installing Chromium and a Japanese font (apt-get install -y chromium fonts-ipafont-gothic)"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      chromium fonts-ipafont-gothic; } \
	  || echo "Could not install Chromium: the site tests will fail."; }
	$(BIN)/python tests/site/npm_copies.py

# pyproject.toml's lower bounds, tested: a fresh venv with the lowest version of every package
# it declares (torch excepted: tests/lowest_versions.py says why), what runs a notebook, and the
# helpers; then every chapter executed there, into _build/lowest (the notebooks stay as they
# are). Stored outputs are not compared: older libraries print some things differently. It
# downloads the old releases from PyPI: 41 minutes on the busy 2-core build machine.
LOWEST := _build/lowest
lowest:
	rm -rf $(LOWEST) && mkdir -p $(LOWEST)/notebooks && $(PYTHON) -m venv $(LOWEST)/venv
	$(PYTHON) tests/lowest_versions.py > $(LOWEST)/constraints.txt
	$(LOWEST)/venv/bin/python -m pip install --quiet -c $(LOWEST)/constraints.txt \
		-r $(LOWEST)/constraints.txt nbconvert ipykernel
	$(LOWEST)/venv/bin/python -m pip install --quiet --no-deps -e .
	$(LOWEST)/venv/bin/python -m pip freeze --exclude-editable > $(LOWEST)/installed.txt
	cd notebooks && failed=0; for nb in *.ipynb; do \
		log=../$(LOWEST)/notebooks/$${nb%.ipynb}.log; start=$$(date +%s); \
		if ../$(LOWEST)/venv/bin/jupyter nbconvert --to notebook --execute \
			--output-dir ../$(LOWEST)/notebooks --ExecutePreprocessor.timeout=600 $$nb 2>$$log; \
		then echo "$$nb ran with the lowest versions ($$(( $$(date +%s) - start )) s)"; \
		else echo "$$nb FAILED with the lowest versions ($$log):"; tail -15 $$log; failed=1; fi; \
	done; exit $$failed

execute: $(VENV)/.installed figures
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.timeout=600 --ExecutePreprocessor.store_widget_state=True \
		--ExecutePreprocessor.record_timing=False \
		notebooks/*.ipynb

# the diagrams of book/figures, embedded in the notebooks so that a copy handed out alone shows
# them (book/_ext/portable_figures.py); run after editing a drawing
figures: $(VENV)/.installed
	$(BIN)/python book/_ext/portable_figures.py notebooks/*.ipynb

# student versions for course assignments; see book/teaching.md
assignments: $(VENV)/.installed
	$(BIN)/python -m helpers.assignments notebooks _build/assignments

lab: $(VENV)/.installed
	HELPERS_PROGRESS=1 $(BIN)/jupyter lab notebooks/

clean:
	rm -rf _build
