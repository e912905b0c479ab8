# `make run` serves the app on 127.0.0.1:5000; `make test` runs every check and every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: install run test lint format bench clean translations extract-messages
CATALOGUES := $(wildcard cxmaturity/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)

$(INSTALLED): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

install: $(INSTALLED) $(COMPILED)

# The interface's translations, compiled from the catalogues in git.
%.mo: %.po $(INSTALLED)
	$(BIN)/pybabel compile --statistics -i $< -o $@

# After adding or changing interface text: refresh the catalogues, then translate.
extract-messages: $(INSTALLED)
	$(BIN)/pybabel extract -F babel.cfg -k _l -o cxmaturity/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i cxmaturity/translations/messages.pot -d cxmaturity/translations --no-fuzzy-matching --ignore-obsolete

run: install
	$(BIN)/cxmaturity questionnaire check questionnaires/*.yaml
	$(BIN)/cxmaturity db upgrade
	$(BIN)/flask --app wsgi run --host 127.0.0.1 --port 5000

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/cxmaturity questionnaire check questionnaires/*.yaml
	# loadgroup: the tests of one xdist_group share one worker (and its gunicorns, tests/hosts).
	$(BIN)/python -m pytest -n 2 --dist loadgroup

lint: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python bench/report.py
	$(BIN)/python bench/web.py

# Recompute the pinned versions after changing pyproject.toml's dependencies.
lock:
	$(PYTHON) -m pip install --quiet uv
	$(PYTHON) -m uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
