"""The Python API: ``load`` a scenario, ``run`` it, read the results as DataFrames.

>>> import mtfpmodel
>>> result = mtfpmodel.run(mtfpmodel.load("scenarios/example.yaml"))
>>> result.summary[["year", "net_gap"]]
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from mtfpmodel.engine.finite import NonFiniteFigure
from mtfpmodel.engine.inputs import build_inputs
from mtfpmodel.engine.parameters import collect
from mtfpmodel.engine.projection import STATUSES, Results, project
from mtfpmodel.results import warnings as checks
from mtfpmodel.results.finite import named
from mtfpmodel.scenario.errors import Problem
from mtfpmodel.scenario.loader import Loaded, load
from mtfpmodel.scenario.schema import Scenario
from mtfpmodel.scenario.series import year_labels

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Result:
    """A projected plan: the engine's arrays plus tables for draw 0 and the warnings."""

    scenario: Scenario
    results: Results
    labels: tuple[str, ...]            # base year first, then the projection years
    warnings: list[Problem] = field(default_factory=list)
    loaded: Loaded | None = None

    @property
    def units(self) -> str:
        return self.scenario.units

    # The tables (pandas) are imported when first asked for: validating a plan needs none of them.

    @cached_property
    def summary(self) -> pd.DataFrame:
        from mtfpmodel.results import tables

        return tables.summary(self.results, self.labels)

    @cached_property
    def lines(self) -> pd.DataFrame:
        from mtfpmodel.results import tables

        return tables.lines(self.results, self.scenario, self.labels)

    @cached_property
    def funding(self) -> pd.DataFrame:
        from mtfpmodel.results import tables

        return tables.funding(self.results, self.scenario, self.labels)

    @cached_property
    def savings(self) -> pd.DataFrame:
        from mtfpmodel.results import tables

        return tables.savings(self.results, self.scenario, self.labels)

    @cached_property
    def streams(self) -> pd.DataFrame:
        from mtfpmodel.results import appraisal

        return appraisal.streams_table(self.scenario, self.results, self.labels)

    @property
    def balances(self) -> bool:
        return bool(self.results.balances[0])

    @property
    def sustainable(self) -> bool:
        return bool(self.results.sustainable[0])

    @property
    def statuses(self) -> list[str]:
        return [STATUSES[s] for s in self.results.status[0, 1:]]


def labels_of(scenario: Scenario) -> tuple[str, ...]:
    return (scenario.base_year,) + year_labels(scenario.base_year, scenario.years)


def run(scenario: Scenario | Loaded | str | Path, overrides: Mapping[str, object] | None = None) -> Result:
    """Project ``scenario`` (a model, a loaded file or a path), with optional path overrides."""
    loaded = None
    if isinstance(scenario, (str, Path)):
        scenario = load(scenario)
    if isinstance(scenario, Loaded):
        loaded, scenario = scenario, scenario.scenario
    params = collect(scenario)
    try:
        results = project(build_inputs(scenario, overrides, params))
    except NonFiniteFigure as exc:
        raise named(exc, scenario) from None
    labels = labels_of(scenario)
    found = checks.warnings(scenario, results, labels, params, loaded.where if loaded else None)
    return Result(scenario, results, labels, found, loaded)
