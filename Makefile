# The book's two commands: `make book` builds the site, `make test` runs every test.
# Both create .venv on first use; nothing else needs installing by hand.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
# no progress bars in executed notebooks: they would be stored in the outputs
export HELPERS_PROGRESS := 0
export PYTHONHASHSEED := 0

.PHONY: book test unit nbval lint execute lab clean help

help:
	@echo "make book     build the site into _build/html (creates .venv on first use)"
	@echo "make test     unit tests, nbval over every notebook, the site in a browser"
	@echo "make lab      open the notebooks in JupyterLab"
	@echo "make execute  re-run the notebooks in place, saving outputs and widget state"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# re-install only when the requirements change
$(VENV)/.installed: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: tests/requirements.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r tests/requirements.txt
	touch $@

book: $(VENV)/.installed
	@start=$$(date +%s); \
	$(BIN)/jupyter-book build . --path-output . -W -n --keep-going || exit 1; \
	echo "Built in $$(( $$(date +%s) - start )) s. Open $(CURDIR)/_build/html/index.html"

unit: $(VENV)/.installed-test
	$(BIN)/python -m pytest tests -q -m "not site"

nbval: $(VENV)/.installed-test
	$(BIN)/python -m pytest --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg -q -p no:cacheprovider notebooks/

lint: $(VENV)/.installed-test
	$(BIN)/ruff check helpers tests benchmarks notebooks

test: unit nbval

execute: $(VENV)/.installed
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.timeout=600 --ExecutePreprocessor.store_widget_state=True \
		notebooks/*.ipynb

lab: $(VENV)/.installed
	HELPERS_PROGRESS=1 $(BIN)/jupyter lab notebooks/

clean:
	rm -rf _build
