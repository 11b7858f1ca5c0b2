# Insatskollen. `make run` serves the dashboard on demo data; `make test` runs every test.
# Both set everything up first on a fresh Debian machine (Python venv; Chromium for tests).

VENV   := .venv
PY     := $(VENV)/bin/python
SUDO   := $(shell [ "$$(id -u)" = 0 ] || command -v sudo >/dev/null && [ "$$(id -u)" != 0 ] && echo sudo)

.PHONY: setup run test browser bench lint clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# Debian's Chromium and ChromeDriver for the browser tests (never a browser download).
browser:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then :; else \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver; fi

run: setup browser
	INSATSKOLLEN_DEMO=1 $(PY) app.py

# axe-core for the accessibility checks, from the npm registry (pinned by package-lock.json)
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# every test, on both cores: pytest-xdist's workers take the tests group by group
# (tests/conftest.py: a module's tests together, the longest first); the slowest listed
TEST_WORKERS ?= 2
test: setup browser node_modules/.installed
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -n $(TEST_WORKERS) --durations=15

bench: setup
	$(PY) -m bench

lint: setup
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) data/*.duckdb data/demo-uttag
