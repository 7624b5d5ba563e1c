# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run hall test venv system-deps test-tools lint format

$(BIN)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements.txt
	touch $@

venv: $(BIN)/.installed

# Test tools from npm (axe-core); the app itself has no Node build step.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

test-tools: node_modules/.installed

system-deps:
	bash .ci/system-deps

# `make run PORT=8001` when 8000 is taken.
PORT ?= 8000

run: venv system-deps
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@# Mail is printed here (no EMAIL_HOST: console backend): send_reminders runs every minute.
	( while true; do $(BIN)/python manage.py send_reminders -v 0; sleep 60; done ) & loop=$$!; \
	trap 'kill $$loop 2>/dev/null' EXIT INT TERM; $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# A workshop in a hall: serve on the laptop's Wi-Fi address so phones can reach it. The
# join address and QR code use PUBLIC_URL; ALLOWED_HOSTS admits that address. Override the
# guess with `make hall LAN_IP=192.168.1.20` (and HALL_PORT=8000).
HALL_PORT ?= 8000
LAN_IP ?= $(shell ip -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p' | head -n1)

hall: venv system-deps
	@test -n "$(LAN_IP)" || { echo "No network address found: join the hall's Wi-Fi, or run make hall LAN_IP=<address>"; exit 1; }
	$(BIN)/python manage.py migrate --noinput
	@echo ""
	@echo "  Phones join at:  http://$(LAN_IP):$(HALL_PORT)/join/"
	@echo "  (same Wi-Fi as this laptop; the projector shows this address and its QR code)"
	@echo ""
	PUBLIC_URL=http://$(LAN_IP):$(HALL_PORT) \
	ALLOWED_HOSTS=$(LAN_IP),127.0.0.1,localhost \
	CSRF_TRUSTED_ORIGINS=http://$(LAN_IP):$(HALL_PORT) \
	$(BIN)/python manage.py runserver 0.0.0.0:$(HALL_PORT)

test: venv system-deps test-tools
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
