# ServiceCycle developer commands. A fresh clone needs only Python 3.11+ and Node.js (22 or 24, the
# versions the CDK supports; 18 and 20 still work with a warning). Node runs the CDK's JavaScript
# underneath its Python API; `make test` synthesizes the stack.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
PYTEST_ARGS ?=

export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install dev test lint fuzz synth deploy bench layer lock clean node-check

help:
	@echo "make dev     start the local API on http://127.0.0.1:3000 with demo data"
	@echo "make test    lint, type-check and run the whole suite"
	@echo "make synth   synthesize the CloudFormation template into cdk.out/"
	@echo "make deploy  deploy to the AWS account of your current credentials (STAGE=dev|prod)"
	@echo "make bench   run the benchmarks and write the results to docs/benchmarks.md"
	@echo "make fuzz    every schemathesis phase with a fresh seed against the local server"

# Everything the venv holds comes from the lock (requirements/dev.txt), the same on every machine
# and in CI; `make lock` recompiles the locks after a change of pyproject.toml or requirements/*.in.
LOCK := requirements/dev.txt
UV_VERSION := 0.13.9

$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || \
		{ echo "error: Python 3.11 or newer is required as '$(PYTHON)' (set PYTHON=...)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync --quiet --python $(BIN)/python $(LOCK)
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

node-check:
	@command -v node >/dev/null 2>&1 || \
		{ echo "error: Node.js is required (the AWS CDK runs on it) but 'node' is not on PATH: install Node.js 22 or 24 LTS from https://nodejs.org"; exit 1; }
	@node .ci/check-node.js

$(NPM_STAMP): package.json package-lock.json | node-check
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(NPM_STAMP)

dev: install
	$(BIN)/servicecycle dev

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# Coverage is measured by the unit, API and infrastructure suites. The security suites (isolation,
# hardening, fuzzing) send thousands of requests through the same code; tracing them would double
# their time and measure nothing the others do not, so they run untraced.
test: install node-check lint
	$(BIN)/python -m pytest -n 2 --cov --cov-report=term tests/unit tests/api tests/infra $(PYTEST_ARGS)
	$(BIN)/python -m pytest -n 2 tests/security $(PYTEST_ARGS)

# Every schemathesis phase against a running local server, with a fresh seed (printed; repeat a run
# with FUZZ_SEED=<seed>); FUZZ_EXAMPLES per operation, 100 by default.
fuzz: install
	$(BIN)/python -m tests.security.fuzz_run

layer: install
	$(BIN)/python -m infra.layer

# The locks: the Lambda layers for python3.13 on arm64, the development venv for Python 3.11+ on
# any platform, pinned to the same versions as the layers where they share packages.
lock: install
	$(BIN)/uv pip compile --quiet --only-binary :all: requirements/lambda.in --python-version 3.13 \
		--python-platform aarch64-manylinux_2_17 -o requirements/lambda.txt
	$(BIN)/uv pip compile --quiet --only-binary :all: requirements/reports.in --python-version 3.13 \
		--python-platform aarch64-manylinux_2_17 -o requirements/reports.txt
	$(BIN)/uv pip compile --quiet pyproject.toml --extra dev --universal --python-version 3.11 \
		-c requirements/lambda.txt -c requirements/reports.txt -o $(LOCK)

synth: install node-check
	$(BIN)/python infra/app.py
	@echo "template: cdk.out/ServiceCycle-$${STAGE:-dev}.template.json"

deploy: synth $(NPM_STAMP)
	npx cdk deploy --app cdk.out --require-approval broadening

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf build cdk.out .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov
