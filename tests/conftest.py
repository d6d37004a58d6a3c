"""Shared helpers: write a small scenario from text, load it, run it."""
from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from hypothesis import settings

import mtfpmodel
from mtfpmodel.engine.parameters import collect

# CI runs the same examples every time, so a red build is reproducible from its log; a
# developer's runs keep exploring new examples.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

SCENARIOS = Path(__file__).parent / "scenarios"
RISK = SCENARIOS / "risk.yaml"      # the fixture with sensitivity and monte_carlo blocks
EXAMPLES = Path(__file__).parent.parent / "scenarios"      # the shipped example scenarios


@pytest.fixture(scope="module")
def loaded():
    """The risk fixture, loaded once per test module."""
    return mtfpmodel.load(RISK)


@pytest.fixture(scope="module")
def params(loaded):
    """Every addressable parameter of the risk fixture."""
    return collect(loaded.scenario)


@pytest.fixture
def write(tmp_path):
    """write(text, name='scenario.yaml') → path of a scenario file holding the dedented text."""
    def _write(text: str, name: str = "scenario.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path
    return _write


@pytest.fixture
def run_text(write):
    """run_text(text, overrides=None) → mtfpmodel Result for a scenario written from text."""
    def _run(text: str, overrides=None, set_=()):
        return mtfpmodel.run(mtfpmodel.load(write(text), list(set_)), overrides)
    return _run
