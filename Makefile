# The book's two commands: `make book` builds the site, `make test` runs every test.
# Both create .venv on first use; nothing else needs installing by hand.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
# MathJax from npm, with which the build typesets the equations (the rule is below)
TEX2SVG := _build/tex2svg/.installed
# no progress bars in executed notebooks: they would be stored in the outputs
export HELPERS_PROGRESS := 0
export PYTHONHASHSEED := 0
# the language the helpers speak comes from the notebook (helpers/i18n.py); the ja targets below
# set it, and a BOOK_LANGUAGE left in the shell must not turn the English notebooks Japanese
unexport BOOK_LANGUAGE

.PHONY: book test quick unit nbvals nbval nbval-generic site site-deps pdf pdf-deps pdf-test \
	lint execute figures lab assignments clean help ja ja-update book-ja execute-ja lab-ja lock lowest

help:
	@echo "make book     build the site into _build/html (creates .venv on first use)"
	@echo "make test     lint, unit tests, nbval over every notebook, the site in a browser"
	@echo "make quick    lint and the unit tests not marked slow (about a minute)"
	@echo "make site     build the site (and its PDF) and test it in Chromium (part of make test)"
	@echo "make pdf      the book as a PDF, one per edition, into _build/pdf (after make book)"
	@echo "make lab      open the notebooks in JupyterLab"
	@echo "make execute  re-run the notebooks in place, saving outputs and widget state"
	@echo "make figures  embed book/figures/*.svg into the notebooks that show them"
	@echo "make assignments  student notebooks (solutions cleared) into _build/assignments"
	@echo "make ja-update    bring the Japanese catalogs (locales/ja) up to the English"
	@echo "make ja           write the Japanese edition, ja/, from the English and the catalogs"
	@echo "make execute-ja   make ja, then run the Japanese notebooks in place"
	@echo "make book-ja      build the Japanese site into _build/html/ja (make book does it too)"
	@echo "make lab-ja       open the Japanese notebooks in JupyterLab"
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

# Sphinx writes nothing when no page changed, not even book/_static: --all if a static file or
# one of our extensions (book/_ext) did. The execution cache is keyed on the notebooks' code
# only, so a change to helpers (a new stepper, say) would leave the site showing the old
# outputs: then the cache is dropped. The equations are typeset while the site is built
# (book/_ext/static_math.py), with MathJax from the npm registry ($(TEX2SVG)).
book: $(VENV)/.installed $(TEX2SVG)
	@start=$$(date +%s); \
	all=$$(find book/_static book/_ext -newer _build/html/objects.inv -not -path '*/__pycache__/*' \
		2>/dev/null | head -1); \
	if [ -d _build/.jupyter_cache ] && { [ ! -f _build/.helpers-executed ] || \
		[ -n "$$(find helpers -type f -newer _build/.helpers-executed | head -1)" ]; }; then \
		echo "helpers changed since the last build: notebooks run again"; \
		rm -rf _build/.jupyter_cache; all=1; \
	fi; \
	$(BIN)/jupyter-book build . --path-output . -W -n --keep-going $${all:+--all} || exit 1; \
	touch _build/.helpers-executed; \
	echo "Built in $$(( $$(date +%s) - start )) s. Open $(CURDIR)/_build/html/index.html"
	@$(MAKE) --no-print-directory book-ja

# Every unit test, the slow ones included, on $(JOBS) workers. A test file goes to one worker
# whole (loadfile): several build a costly module fixture (a benchmark's re-run, the handed-out
# notebooks) that would otherwise be built once per worker. (--dist loadgroup, which could group
# only those files, is silently ignored by pytest-xdist 3.8 under pytest 9: it renames
# item._nodeid, which pytest 9 no longer reads.) tests/conftest.py starts the slow files first.
UNIT = OMP_NUM_THREADS=1 $(BIN)/python -m pytest tests -q $(XDIST) --dist loadfile
unit: $(VENV)/.installed-test $(TEX2SVG)
	$(UNIT) -m "not site and not pdf"

# while you work: lint and the unit tests not marked slow
quick: lint $(TEX2SVG)
	$(UNIT) -m "not site and not pdf and not slow"

NBVAL = $(BIN)/python -m pytest --nbval --nbval-current-env \
	--nbval-sanitize-with tests/nbval_sanitize.cfg -q -p no:cacheprovider

# both editions: the Japanese notebooks' kernels speak Japanese (helpers/i18n.py)
nbval: $(VENV)/.installed-test
	$(NBVAL) notebooks/
	BOOK_LANGUAGE=ja $(NBVAL) ja/notebooks/

# nbval again on the code paths another CPU takes: PyTorch's generic kernels (no AVX), MKL and
# oneDNN without AVX, one OpenMP thread. A stored output that depends on the last digits of a
# float fails here, not on a learner's laptop (benchmarks/cpu_paths.py measures what moves).
nbval-generic: $(VENV)/.installed-test
	ATEN_CPU_CAPABILITY=default MKL_ENABLE_INSTRUCTIONS=SSE4_2 ONEDNN_MAX_CPU_ISA=SSE41 \
		OMP_NUM_THREADS=1 $(NBVAL) notebooks/
	ATEN_CPU_CAPABILITY=default MKL_ENABLE_INSTRUCTIONS=SSE4_2 ONEDNN_MAX_CPU_ISA=SSE41 \
		OMP_NUM_THREADS=1 BOOK_LANGUAGE=ja $(NBVAL) ja/notebooks/

# both nbval passes side by side, one kernel each (they share no file: -p no:cacheprovider);
# each pass's report is printed whole when it ends (--output-sync)
nbvals: $(VENV)/.installed-test
	$(MAKE) --no-print-directory -j2 --output-sync=target nbval nbval-generic

# ruff's lint rules and its formatting, on the code and on the notebooks (pyproject.toml), and
# mypy's type checks of helpers/, teaching/ and benchmarks/ (settings in pyproject.toml)
lint: $(VENV)/.installed-test
	$(BIN)/ruff check helpers teaching tests benchmarks notebooks book/_ext book/_pdf
	$(BIN)/ruff format --check helpers teaching tests benchmarks notebooks book/_ext book/_pdf
	$(BIN)/mypy

# one stage after the other, each on both cores
test: lint unit nbvals site pdf-test

# the freshly built site in Chromium (tests/site), on $(JOBS) workers, each with its own browser
# and server; screenshots go to _build/screenshots. After make pdf: every page's download menu
# links to the PDF, and the tests follow every link.
site: book site-deps pdf
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

# MathJax, which typesets every equation of the site (book/_ext/static_math.py) and the PDF,
# from the npm registry as book/_ext/tex2svg/package-lock.json pins it, into _build/tex2svg
$(TEX2SVG): book/_ext/tex2svg/package.json book/_ext/tex2svg/package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: the build typesets the equations \
	with MathJax from the npm registry. Install Node.js and npm (apt-get install nodejs npm)."; \
	exit 1; }
	mkdir -p $(@D)
	cp book/_ext/tex2svg/package.json book/_ext/tex2svg/package-lock.json $(@D)/
	npm ci --prefix $(@D) --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# The book as a PDF, one per built edition (book/_pdf/build_pdf.py): _build/pdf/<name>-<lang>.pdf,
# and a copy at the site's root, where the download menu links to it. Skipped when built from
# the same pages, pictures, pipeline and commit (a digest of them beside the PDF).
pdf: book pdf-deps
	$(BIN)/python book/_pdf/build_pdf.py

# the PDFs read back with poppler (tests/pdf, marked pdf), and the Japanese sample page
pdf-test: pdf $(VENV)/.installed-test
	$(BIN)/python -m pytest tests/pdf -q -m pdf

# What the PDF needs (as root): Debian's Chromium prints it, with the fonts it names
# (book/_pdf/print.css); poppler reads it back and qpdf packs it. MathJax as for the site.
PDF_DEBS := chromium fonts-liberation fonts-dejavu-core fonts-ipafont-gothic \
	fonts-ipafont-mincho poppler-utils qpdf
pdf-deps: $(VENV)/.installed $(TEX2SVG)
	@{ test -x /usr/bin/chromium && dpkg -s $(PDF_DEBS) >/dev/null 2>&1; } || { \
	  echo "Installing what the PDF needs (apt-get install -y $(PDF_DEBS))"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      $(PDF_DEBS); } || { echo "Could not install $(PDF_DEBS): run as root."; exit 1; }; }

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
	$(BIN)/python -m teaching.assignments notebooks _build/assignments
	$(BIN)/python -m teaching.assignments ja/notebooks _build/assignments/ja

lab: $(VENV)/.installed
	HELPERS_PROGRESS=1 $(BIN)/jupyter lab notebooks/

# --- the Japanese edition (issue 18): ja/ is made from the English files and locales/ja ------
# (book/_ext/translations.py; the translators' guide is locales/README.md)
TRANSLATIONS = $(BIN)/python book/_ext/translations.py

ja-update: $(VENV)/.installed
	$(TRANSLATIONS) update

ja: $(VENV)/.installed
	$(TRANSLATIONS) build

execute-ja: ja
	BOOK_LANGUAGE=ja $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.timeout=600 --ExecutePreprocessor.store_widget_state=True \
		--ExecutePreprocessor.record_timing=False \
		ja/notebooks/*.ipynb

# the Japanese site: built from ja/ as its own book (language ja), then put under
# _build/html/ja so that each page's other edition is one folder up or down, its pages loading
# the theme's static files from the English edition's _static (book/_ext/share_static.py). Its notebooks run
# with BOOK_LANGUAGE=ja, with their own execution cache, dropped when helpers change; --all
# when a static file or one of our extensions changed (the search's language_data.js is only
# written then).
JA_OUT := _build/ja
book-ja: $(VENV)/.installed $(TEX2SVG)
	@start=$$(date +%s); \
	all=$$(find book/_static book/_ext -newer $(JA_OUT)/_build/html/objects.inv \
		-not -path '*/__pycache__/*' 2>/dev/null | head -1); \
	if [ -d $(JA_OUT)/_build/.jupyter_cache ] && { [ ! -f $(JA_OUT)/.helpers-executed ] || \
		[ -n "$$(find helpers -type f -newer $(JA_OUT)/.helpers-executed | head -1)" ]; }; then \
		echo "helpers changed since the last build: Japanese notebooks run again"; \
		rm -rf $(JA_OUT)/_build/.jupyter_cache; all=1; \
	fi; \
	BOOK_LANGUAGE=ja $(BIN)/jupyter-book build ja --path-output $(JA_OUT) -W -n --keep-going \
		$${all:+--all} || exit 1; \
	touch $(JA_OUT)/.helpers-executed; \
	rm -rf _build/html/ja && mkdir -p _build/html && cp -a $(JA_OUT)/_build/html _build/html/ja; \
	$(BIN)/python book/_ext/share_static.py _build/html ja || exit 1; \
	echo "Japanese edition built in $$(( $$(date +%s) - start )) s: $(CURDIR)/_build/html/ja/index.html"

lab-ja: $(VENV)/.installed
	HELPERS_PROGRESS=1 $(BIN)/jupyter lab ja/notebooks/

clean:
	rm -rf _build
