"""Turn a validated Scenario (plus any overrides) into the engine's arrays.

Every array carries a leading draws axis D (1 for a single run); per-year arrays run over
t = 0..T with index 0 the base year. Assumption names are resolved here, once, so the engine
sees only numbers. Units: money in the scenario unit, Band D and unit costs in pounds.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Mapping

import numpy as np

from mtfpmodel.engine import capital as capital_programme
from mtfpmodel.engine import parameters as P
from mtfpmodel.engine.arrays import pad, stack
from mtfpmodel.engine.contracts import ContractInputs, compile_contracts
from mtfpmodel.engine.reserves import ReserveInputs, compile_reserves
from mtfpmodel.engine.streams import KINDS
from mtfpmodel.engine.streams.base import Layout
from mtfpmodel.engine.volumes import VolumeInputs, compile_volumes
from mtfpmodel.engine.workforce import WorkforceInputs, compile_workforce
from mtfpmodel.scenario.schema import Scenario
from mtfpmodel.scenario.series import year_labels


@dataclass(frozen=True)
class StreamInputs:
    name: str
    kind: ModuleType                  # the module in mtfpmodel.engine.streams that computes gross
    arrays: object                    # that kind's compiled inputs
    confidence: np.ndarray            # (D,) share
    capital: np.ndarray | None        # (D, T+1) spend by year [scenario unit]
    life: int
    interest_rate: np.ndarray         # (D,)
    method: str
    implementation_cost: np.ndarray   # (D, T+1) [scenario unit]
    funded_by: str


@dataclass(frozen=True)
class Inputs:
    """Everything the engine needs, as arrays. D is 1 or the number of draws."""

    years: int
    unit: float                       # pounds in one scenario unit
    layout: Layout
    component_share: np.ndarray       # (K,) cost-mix share w of each (line, cost-mix part)
    assumption_rate: np.ndarray       # (D, A, T+1) each assumption used in a cost mix
    component_assumption: np.ndarray  # (K,) index into assumption_rate of each component
    component_line: np.ndarray        # (K,) line index of each component (grouped by line)
    volumes: VolumeInputs             # each line's scale (base budget or unit cost) and volume
    pressure_amount: np.ndarray       # (D, P, T+1) new cost arising each year
    pressure_recurring: np.ndarray    # (P,) bool
    tax_base: np.ndarray              # (D,) Band D equivalents, base year
    tax_base_growth: np.ndarray       # (D, T+1)
    band_d: np.ndarray                # (D,) £, base year
    band_d_increase: np.ndarray       # (D, T+1) sum of increase parts
    collection_fund: np.ndarray       # (D, T+1)
    source_base: np.ndarray           # (D, S) business rates and grants, base year
    source_growth: np.ndarray         # (D, S, T+1)
    source_values: np.ndarray         # (D, S, T+1) values as given (used where source_given)
    source_given: np.ndarray          # (S,) bool: values given year by year
    source_active: np.ndarray         # (S, T+1) bool: received that year (false after a grant ends)
    source_certainty: np.ndarray      # (D, S) share counted in the risk-adjusted gap (1 for business rates)
    streams: tuple[StreamInputs, ...]
    reserves: ReserveInputs
    workforce: WorkforceInputs | None = None   # pay groups and on-costs, when the scenario has them
    contracts: ContractInputs | None = None    # indexed contracts, when the scenario has them
    delivery: np.ndarray | None = None   # (D, N, T+1) share of each stream's gross delivered
    capital: capital_programme.CapitalInputs | None = None   # the capital programme and its financing
    received: np.ndarray | None = None   # (D, S) 1 or 0: each source received in the projection years

    @property
    def component_rate(self) -> np.ndarray:
        """(D, K, T+1) inflation rate of each component's assumption."""
        return np.take(self.assumption_rate, self.component_assumption, axis=1)


def build_inputs(scenario: Scenario, overrides: Mapping[str, object] | None = None,
                 params: Mapping[str, P.Parameter] | None = None) -> Inputs:
    """Compile ``scenario`` with optional path overrides (arrays with a draws axis)."""
    params = params if params is not None else P.collect(scenario)
    values = P.resolve(params, overrides)
    T = scenario.years
    unit = scenario.unit

    def series(path: str) -> np.ndarray:
        return pad(values[path])

    rates = {name: series(f"assumptions.{name}") for name in scenario.assumptions}
    rates["none"] = np.zeros((1, T + 1))
    components = [(line.name, part) for line in scenario.expenditure for part in line.cost_mix]
    used = list(dict.fromkeys(part for _, part in components))
    layout = Layout(tuple(line.name for line in scenario.expenditure), tuple(components), unit)
    line_of = {name: i for i, name in enumerate(layout.lines)}
    mix = {line.name: line.cost_mix for line in scenario.expenditure}

    sources = P.funding_sources(scenario)
    tax = scenario.funding.council_tax

    def source_series(prefix: str, given: bool) -> np.ndarray:
        return series(f"{prefix}.values" if given else f"{prefix}.growth")

    given = np.array([s.values is not None for _, s in sources], dtype=bool)
    return Inputs(
        years=T, unit=unit, layout=layout,
        component_share=np.array([mix[l][c] for l, c in components], dtype=float),
        assumption_rate=stack([rates[name] for name in used], T),
        component_assumption=np.array([used.index(c) for _, c in components], dtype=int),
        component_line=np.array([line_of[l] for l, _ in components], dtype=int),
        volumes=compile_volumes(scenario, values, series, unit),
        workforce=compile_workforce(scenario, values, series, unit),
        contracts=compile_contracts(scenario, values, series, (scenario.base_year,) + year_labels(
            scenario.base_year, T), layout.lines),
        pressure_amount=stack([series(f"pressures[{p.name}].amount") for p in scenario.pressures], T),
        pressure_recurring=np.array([p.recurring for p in scenario.pressures], dtype=bool),
        tax_base=values["funding.council_tax.tax_base"],
        tax_base_growth=series("funding.council_tax.tax_base_growth"),
        band_d=values["funding.council_tax.band_d"],
        band_d_increase=sum((series(f"funding.council_tax.increase.{part}") for part in tax.increase),
                            np.zeros((1, T + 1))),
        collection_fund=series("funding.council_tax.collection_fund"),
        source_base=stack([values[f"{prefix}.base"] for prefix, _ in sources], T, scalar=True),
        source_growth=stack([np.zeros((1, T + 1)) if g else series(f"{prefix}.growth")
                              for (prefix, _), g in zip(sources, given)], T),
        source_values=stack([series(f"{prefix}.values") if g else np.zeros((1, T + 1))
                              for (prefix, _), g in zip(sources, given)], T),
        source_given=given,
        source_active=_active(scenario, sources),
        source_certainty=stack([values[f"{prefix}.certainty"] if f"{prefix}.certainty" in values else np.ones(1)
                                 for prefix, _ in sources], T, scalar=True),
        streams=tuple(_stream_inputs(scenario, stream, values, layout) for stream in scenario.savings),
        reserves=compile_reserves(scenario, values, series),
        capital=capital_programme.compile(scenario, series, values),
    )


def _active(scenario: Scenario, sources) -> np.ndarray:
    """(S, T+1): true in the years a source is received (a grant's ``ends`` is its last year)."""
    start = int(scenario.base_year[:4])
    years = start + np.arange(scenario.years + 1)
    ends = [getattr(source, "ends", None) for _, source in sources]
    return np.array([years <= int(end[:4]) if end else np.ones(years.shape, dtype=bool) for end in ends],
                    dtype=bool).reshape(len(sources), scenario.years + 1)


def _stream_inputs(scenario: Scenario, stream, values: dict, layout: Layout) -> StreamInputs:
    prefix = f"savings[{stream.name}]"

    def get(field: str) -> np.ndarray:
        array = values[f"{prefix}.{field}"]
        return pad(array) if array.ndim == 2 else array

    kind = KINDS[stream.kind]
    capital = stream.capital
    return StreamInputs(
        name=stream.name, kind=kind, arrays=kind.compile(stream, get, layout),
        confidence=get("confidence"),
        capital=get("capital.amount") if capital else None,
        life=capital.life if capital else 1,
        interest_rate=get("capital.interest_rate") if capital else np.zeros(1),
        method=capital.method if capital else "annuity",
        implementation_cost=get("implementation_cost"),
        funded_by=stream.funded_by,
    )
