# The two commands: `make run` (set up and serve with demo data) and `make test` (the whole suite).
# Both set up whatever a fresh checkout lacks first, and can be re-run without harm.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= earlyhelp.settings.local

.PHONY: run test setup browser check lint typecheck format migrate frameworks demo clean mutate bench production lock audit-dependencies checkers

# The background worker (the forums' cycle and its e-mails, ADR 30) runs beside the web server and
# stops with it.
run: setup migrate frameworks demo
	@echo "Serving earlyhelp at http://127.0.0.1:$(PORT)/ (stop with Ctrl+C). DEBUG=1 make run shows Django's error pages."
	@$(BIN)/python manage.py forums start-cycle
	@SERVICE_URL=http://127.0.0.1:$(PORT) $(BIN)/python manage.py db_worker --verbosity 0 --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver --verbosity 0 127.0.0.1:$(PORT)

test: setup browser checkers
	DJANGO_SETTINGS_MODULE=earlyhelp.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/bandit -c pyproject.toml -r earlyhelp -q
	DJANGO_SETTINGS_MODULE=earlyhelp.settings.test $(BIN)/pytest

setup: $(VENV)/.installed node_modules/.installed
	@tools/pdf-setup

# The sector's data checkers the returns are tested with (liiatools, the CIN census validator),
# each in its own virtual environment under .checkers/.
checkers:
	@tools/checkers-setup

# Debian's Chromium for the browser tests: installed when missing (as root), or the command to run.
browser:
	@tools/browser-setup

# Every dependency, transitive ones included, pinned with its hashes (requirements*.txt, made from
# requirements*.in by `make lock`): pip refuses a file whose hash is not the locked one.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@

# After changing requirements.in or requirements-dev.in: the locks again, with every file's hash.
# Extras are kept (cachecontrol[filecache]): pip checking hashes treats a dependency's extra as a
# requirement of its own, and refuses it unpinned once a newer release of the package is out.
lock: setup
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --no-strip-extras --no-emit-index-url --no-emit-find-links -o requirements.txt requirements.in
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --no-strip-extras --no-emit-index-url --no-emit-find-links -o requirements-dev.txt requirements-dev.in

# Known vulnerabilities in the locked dependencies (PyPI's advisories; outside make test: see the
# README's "Dependencies" for why).
audit-dependencies: setup
	$(BIN)/pip-audit --strict --disable-pip --progress-spinner off -r requirements-dev.txt

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

migrate:
	@$(BIN)/python manage.py migrate --no-input --verbosity 0

# The thresholds frameworks that ship in earlyhelp/thresholds/frameworks/ (unchanged ones are skipped).
frameworks:
	@$(BIN)/python manage.py thresholds --verbosity 0 load

demo:
	@$(BIN)/python manage.py load_demo

# Mutation testing of the rule modules (outside CI: slow). MODULES=earlyhelp/frontdoor/clock.py for one.
mutate: setup
	$(BIN)/python tools/mutation.py $(MODULES)

# The speed of the service at county scale on PostgreSQL under gunicorn, against its targets
# (docs/performance.md; not in CI). The first run generates 250,000 people (a few minutes).
# ARGS="--people 1000000" for a million; ARGS=--smoke for the small run `make test` includes.
bench: setup
	$(BIN)/python tools/bench.py $(ARGS)

# Serve as in production (README "Production"): static files collected, the database migrated,
# the frameworks loaded, then gunicorn with the production settings. Needs SECRET_KEY and
# ALLOWED_HOSTS (and DATABASE_URL, REDIS_URL) in the environment.
production: export DJANGO_SETTINGS_MODULE = earlyhelp.settings.production
production: setup
	@test -n "$$SECRET_KEY" || { echo "Set SECRET_KEY (and ALLOWED_HOSTS, DATABASE_URL, REDIS_URL): see the README's Production section."; exit 1; }
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python manage.py migrate --no-input --verbosity 0
	$(BIN)/python manage.py thresholds --verbosity 0 load
	$(BIN)/python manage.py forums start-cycle
	exec $(BIN)/gunicorn -c gunicorn.conf.py

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -c pyproject.toml -r earlyhelp -q

typecheck:
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .checkers node_modules db.sqlite3 staticfiles .pytest_cache .mypy_cache .ruff_cache
