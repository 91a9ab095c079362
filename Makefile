# Two commands do everything on a fresh machine with Python 3.11 and make:
#   make demo   run the merchant's loop (supplier-sync) on every sandbox supplier twice: the second run is incremental
#   make test   run the whole test suite
# Both first install uv (from PyPI, into .tools/) and the locked workspace (into .venv/).

PYTHON ?= python3.11
UV_VERSION ?= 0.13.9
UV := .tools/bin/uv
# two workers: the machines have two cores, and every test brings up its own sandbox on a free port
PYTEST_ARGS ?= -n 2

.PHONY: setup demo test bench clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# bytecode compiled once at set-up: the machines set PYTHONDONTWRITEBYTECODE, so otherwise every
# connector process compiles the CDK again on start (about a second of CPU each)
setup: $(UV)
	$(UV) sync --frozen --all-packages --compile-bytecode --python $(PYTHON) --quiet

demo: setup
	.venv/bin/python demo/run.py

test: setup
	.venv/bin/pytest $(PYTEST_ARGS)

# one harness: writes bench/results.json and the table at the top of bench/RESULTS.md (the other
# scripts in bench/ are single investigations, run by hand)
bench: setup
	.venv/bin/python bench/harness.py

clean:
	rm -rf .venv .tools demo/output
