"""The conda environment and the pip package list the same dependencies."""

from __future__ import annotations

import re
import tomllib

import yaml

from tests.conftest import ROOT

CONDA_NAMES = {"python", "pip"}


def normalise(spec: str) -> tuple[str, str]:
    """``'pandas>=3.0,<4'`` -> ``('pandas', '>=3.0,<4')``, names PEP 503-normalised."""
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec)
    assert match, spec
    name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
    return name, match.group(2).replace(" ", "")


def test_environment_yml_and_pyproject_list_the_same_dependencies_and_bounds():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_specs = dict(
        normalise(s) for s in [*project["dependencies"], *project["optional-dependencies"]["test"]]
    )
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_specs = dict(normalise(s) for s in env["dependencies"] if isinstance(s, str))
    python_bound = conda_specs.pop("python")
    conda_specs.pop("pip")
    assert conda_specs == pip_specs
    assert python_bound == project["requires-python"]


def test_console_script_points_at_the_cli():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"] == {"workbook": "workbook.cli:main"}
