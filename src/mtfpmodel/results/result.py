"""The Python API: ``load`` a scenario, ``run`` it, read the results as DataFrames.

>>> import mtfpmodel
>>> result = mtfpmodel.run(mtfpmodel.load("scenarios/example.yaml"))
>>> result.summary[["year", "net_gap"]]
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

import numpy as np

from mtfpmodel.engine.inputs import build_inputs
from mtfpmodel.engine.parameters import Parameter, collect
from mtfpmodel.engine.projection import STATUSES, Results
from mtfpmodel.results import real as real_terms
from mtfpmodel.results import warnings as checks
from mtfpmodel.results.driverchecks import check_drivers, driver_warnings
from mtfpmodel.results.finite import project_named
from mtfpmodel.scenario.errors import Problem
from mtfpmodel.scenario.loader import Loaded, load
from mtfpmodel.scenario.schema import Scenario
from mtfpmodel.scenario.series import year_labels

if TYPE_CHECKING:
    import pandas as pd

    from mtfpmodel.results.reserves import Statement


@dataclass
class Result:
    """A projected plan: the engine's arrays plus tables for draw 0 and the warnings.

    ``real`` is set on a Result from :meth:`in_real_terms`: its arrays, and so every table built
    from them, are at base-year prices; ``unit_label`` says so ("£000, 2024/25 prices").
    """

    scenario: Scenario
    results: Results
    labels: tuple[str, ...]            # base year first, then the projection years
    warnings: list[Problem] = field(default_factory=list)
    loaded: Loaded | None = None
    real: real_terms.RealTerms | None = None

    @property
    def units(self) -> str:
        return self.scenario.units

    @property
    def unit_label(self) -> str:
        """The money unit as every output should print it: '£000', or '£000, 2024/25 prices' in real terms."""
        return f"{self.units}, {self.real.label}" if self.real else self.units

    @cached_property
    def params(self) -> Mapping[str, Parameter]:
        """Every input path of the scenario and its values (engine.parameters.collect), found once."""
        return collect(self.scenario)

    def in_real_terms(self, index: str) -> "Result":
        """This plan at base-year prices, deflated by the assumption ``index`` (results.real)."""
        if self.real is not None:
            raise ValueError("this result is already in real terms")
        real_terms.check_index(self.scenario, index)
        by = real_terms.deflator(self.params, index, self.labels)
        terms = real_terms.RealTerms(index, self.labels[0], by, self.results)
        return replace(self, results=real_terms.deflate(self.results, by), real=terms)

    def deflate(self, array: np.ndarray) -> np.ndarray:
        """A nominal array (D, ..., T+1) at this Result's prices: unchanged unless in real terms."""
        return real_terms.deflate_array(array, self.real.deflator) if self.real else np.asarray(array)

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
    def capital(self) -> pd.DataFrame:
        """capital.csv: each scheme's spend by financing source, MRP, interest and CFR by year."""
        from mtfpmodel.results import capital

        return capital.capital_table(self.results, self.scenario, self.labels, real=self.real)

    @cached_property
    def capital_summary(self) -> pd.DataFrame:
        """The capital programme by year (item, key, one column per projection year)."""
        from mtfpmodel.results import capital

        return capital.capital_summary(self.capital, self.results, self.labels)

    @property
    def has_capital(self) -> bool:
        from mtfpmodel.results.capital import has_capital

        return has_capital(self.scenario)

    @cached_property
    def workforce(self) -> pd.DataFrame:
        """workforce.csv: pay bill and each on-cost by pay group and year (empty without a workforce)."""
        from mtfpmodel.results import workforce

        return workforce.workforce_table(self.results, self.scenario, self.labels)

    @cached_property
    def contracts(self) -> pd.DataFrame:
        """contracts.csv: each indexed contract's uplift and cost by year (empty without contracts)."""
        from mtfpmodel.results import workforce

        return workforce.contracts_table(self.results, self.scenario, self.labels)

    @cached_property
    def streams(self) -> pd.DataFrame:
        from mtfpmodel.results import appraisal

        return appraisal.streams_table(self.scenario, self.results, self.labels)

    @cached_property
    def reserves(self) -> pd.DataFrame:
        """reserves.csv: each reserve's opening, flows and closing balance in each projection year."""
        from mtfpmodel.results import reserves

        return reserves.reserves_table(self.scenario, self.results, self.labels)

    @cached_property
    def reserves_statement(self) -> Statement:
        """Each reserve by year, usable reserves against the minimum, when they run out."""
        from mtfpmodel.results import reserves

        return reserves.statement(self.scenario, self.results, self.labels)

    @cached_property
    def gap_table(self) -> pd.DataFrame:
        """The gap and how it is met, in the shape cabinet papers print it (gap_table.csv)."""
        from mtfpmodel.results import gaptable

        return gaptable.table(self.scenario, self.results, self.labels)

    @cached_property
    def council_tax(self) -> pd.DataFrame:
        """council_tax.csv: tax base, Band D by part, yield and the bill for each band (in real
        terms: the cash table, with Band D and the income at base-year prices beside it)."""
        from mtfpmodel.results import counciltax

        return counciltax.council_tax_table(self.scenario, self.results, self.labels, self.params,
                                            real=self.real)

    @cached_property
    def grants(self) -> pd.DataFrame:
        """Each grant by year with its certainty, last year, and the part the risk-adjusted gap holds back."""
        from mtfpmodel.results import grants

        return grants.grant_table(self.scenario, self.results, self.labels, self.params)

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
    results = project_named(scenario, build_inputs(scenario, overrides, params))
    labels = labels_of(scenario)
    where = loaded.where if loaded else None
    check_drivers(scenario, results, labels, where)
    found = list(loaded.notes if loaded else ()) + checks.warnings(scenario, results, labels, params, where) \
        + driver_warnings(scenario, where)
    return Result(scenario, results, labels, found, loaded)
