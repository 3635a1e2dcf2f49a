# Two commands: `make report` and `make test`. Everything else is set up on the way.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup report test lint lab bench clean sample

setup: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: install Python 3.11 or run 'make PYTHON=python3 ...'"; exit 2; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (workbook)"
	touch $(STAMP)

report: setup
	$(BIN)/workbook run --phase all --out reports

test: setup
	$(BIN)/ruff check workbook tests bench data_samples
	$(BIN)/python -m pytest -n 2 --dist loadscope -q tests
	$(BIN)/python -m pytest -q --doctest-modules workbook
	$(BIN)/python -m pytest -q --nbval-lax --nbval-current-env -p no:randomly notebooks/

lint: setup
	$(BIN)/ruff check workbook tests bench data_samples
	$(BIN)/ruff format --check workbook tests bench data_samples

lab: setup
	$(BIN)/jupyter lab --notebook-dir=notebooks

sample: setup
	$(BIN)/python data_samples/generate_sample.py
	$(BIN)/python data_samples/generate_sample.py --sparse

bench: setup
	$(BIN)/python bench/bench_validate.py
	$(BIN)/python bench/bench_kpis.py
	$(BIN)/python bench/bench_plan.py
	$(BIN)/python bench/bench_batch.py

clean:
	rm -rf $(VENV) reports .pytest_cache
