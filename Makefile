# The README's commands. `make run`: install, migrate, load demo data, serve http://127.0.0.1:8000.
# `make test`: install and run the whole test suite (DATABASE_URL picks the database; default SQLite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_NOTICES ?= 3000
HOST ?= 127.0.0.1:8000

.PHONY: install browser-deps run serve test bench lint clean

$(BIN)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	touch $@

install: $(BIN)/.installed

run: install
	$(BIN)/tsunagu migrate --noinput
	$(BIN)/tsunagu generate_demo --notices $(DEMO_NOTICES) --seed 1 --if-empty
	$(BIN)/tsunagu ensure_demo_users
	$(BIN)/tsunagu ensure_demo_project
	$(MAKE) serve

# The queue consumer and the web server together; Ctrl-C stops both.
serve:
	trap 'kill 0' EXIT INT TERM; \
	$(BIN)/tsunagu run_huey --quiet & \
	$(BIN)/tsunagu runserver $(HOST)

test: install browser-deps
	$(BIN)/pytest -q $(PYTEST_ARGS)

# The browser journeys (tests/browser) drive Debian's Chromium, and its screenshots need Japanese fonts: a fresh
# machine gets both here (as root, ~90 s); where they are already installed this does nothing. Without them the
# journeys skip, or fail under TSUNAGU_REQUIRE_BROWSER=1 (CI).
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing chromium and fonts-noto-cjk for the browser journeys"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-noto-cjk \
	      || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-noto-cjk; }; \
	  else \
	    echo "/usr/bin/chromium is missing and can't be installed here (needs root and apt-get): browser journeys skip"; \
	  fi; \
	fi

bench: install
	$(BIN)/python bench/import_notices.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/planner.py

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/tsunagu makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var .pytest_cache
