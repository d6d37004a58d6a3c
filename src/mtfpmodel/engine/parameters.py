"""Every number in a scenario that an analysis may vary, addressed by its spec path.

``collect(scenario)`` lists them (``assumptions.pay``,
``expenditure[Children's social care].demand``, ``workforce.groups[NJC local pay].fte``,
``contracts[Waste disposal].cap``, ``savings[LED street lighting].reduction``,
``capital_programme[LED street lighting].borrowing``, ``capital_financing.borrowing_rate``,
``funding.grants[Recovery Grant].certainty`` (the share counted in the risk-adjusted gap),
``reserves[MTFP support reserve].planned_use``...) with their base values. A reserve in the
older mapping form keeps the paths ``reserves.opening`` and ``reserves.minimum``.
``resolve(params, overrides)`` gives each one an array with a leading
draws axis, so sensitivity and Monte Carlo vary inputs in one batched engine call. A field that
names an assumption follows that assumption unless it is overridden itself.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal, Mapping

import numpy as np

from mtfpmodel.scenario.errors import UsageError
from mtfpmodel.scenario.schema import Grant, Scenario, Source
from mtfpmodel.scenario.series import Series

Kind = Literal["rate", "amount", "volume", "scalar"]


@dataclass(frozen=True)
class Parameter:
    """One addressable number (scalar) or per-year series (T values for years 1..T)."""

    path: str
    kind: Kind
    value: np.ndarray            # shape () for scalar, (T,) for series
    ref: str | None = None       # 'assumptions.<name>' when the field names an assumption

    @property
    def is_series(self) -> bool:
        return self.kind != "scalar"


def collect(scenario: Scenario) -> dict[str, Parameter]:
    """All addressable parameters of ``scenario``, by path, in file order."""
    T = scenario.years
    params: dict[str, Parameter] = {}
    assumed: dict[str, np.ndarray] = {}

    def add(path: str, kind: Kind, value) -> None:
        if isinstance(value, Series):
            ref = None
            if value.ref is not None:
                ref = f"assumptions.{value.ref}"
                array = assumed.get(value.ref, np.zeros(T))
            else:
                array = expand(value.values, T)
            params[path] = Parameter(path, kind, array, ref)
        else:
            params[path] = Parameter(path, kind, np.asarray(float(value)))

    for name, assumption in _ordered_assumptions(scenario):
        add(f"assumptions.{name}", "rate", assumption.value)
        assumed[name] = params[f"assumptions.{name}"].value
    for line in scenario.expenditure:
        for field, (kind, value) in line.parameters().items():
            add(f"expenditure[{line.name}].{field}", kind, value)
    for path, (kind, value) in (scenario.workforce.parameters() if scenario.workforce else {}).items():
        add(path, kind, value)
    for contract in scenario.contracts:
        for field, (kind, value) in contract.parameters().items():
            add(f"contracts[{contract.name}].{field}", kind, value)
    for pressure in scenario.pressures:
        add(f"pressures[{pressure.name}].amount", "amount", pressure.amount)
    tax = scenario.funding.council_tax
    add("funding.council_tax.tax_base", "scalar", tax.tax_base)
    add("funding.council_tax.band_d", "scalar", tax.band_d)
    add("funding.council_tax.tax_base_growth", "rate", tax.tax_base_growth)
    for part, rate in tax.increase.items():
        add(f"funding.council_tax.increase.{part}", "rate", rate)
    add("funding.council_tax.collection_fund", "amount", tax.collection_fund)
    for prefix, source in funding_sources(scenario):
        add(f"{prefix}.base", "scalar", source.base or 0.0)
        if source.values is not None:
            add(f"{prefix}.values", "amount", source.values)
        else:
            add(f"{prefix}.growth", "rate", source.growth or Series(values=(0.0,)))
        if isinstance(source, Grant):
            add(f"{prefix}.certainty", "scalar", scenario.grant_share(source))
    for prefix, reserve in scenario.reserve_list:
        add(f"{prefix}.opening", "scalar", reserve.opening)
        share = reserve.minimum_share
        add(f"{prefix}.minimum", "scalar", share if share is not None else reserve.minimum)
        if prefix != "reserves":                 # the mapping form has no contributions or planned use
            add(f"{prefix}.contributions", "amount", reserve.contributions)
            add(f"{prefix}.planned_use", "amount", reserve.planned_use)
    for stream in scenario.savings:
        add(f"savings[{stream.name}].confidence", "scalar", scenario.confidence(stream))
        for field, (kind, value) in stream.parameters().items():
            add(f"savings[{stream.name}].{field}", kind, value)
    if scenario.capital_financing is not None:
        for field, (kind, value) in scenario.capital_financing.parameters().items():
            add(f"capital_financing.{field}", kind, value)
    for scheme in scenario.capital_programme:
        for field, (kind, value) in scheme.parameters().items():
            add(f"capital_programme[{scheme.name}].{field}", kind, value)
    return params


def funding_sources(scenario: Scenario) -> list[tuple[str, Source]]:
    """(path prefix, source) for business rates (if any) and each grant, in output order."""
    out: list[tuple[str, Source]] = []
    if scenario.funding.business_rates is not None:
        out.append(("funding.business_rates", scenario.funding.business_rates))
    out.extend((f"funding.grants[{g.name}]", g) for g in scenario.funding.grants)
    return out


def _ordered_assumptions(scenario: Scenario):
    """Assumptions with those that name another assumption after the one they name."""
    pending = dict(scenario.assumptions)
    done: set[str] = {"none"}
    while pending:
        ready = [(n, a) for n, a in pending.items() if a.value.ref is None or a.value.ref in done]
        if not ready:
            loop = ", ".join(sorted(pending))
            raise UsageError(f"assumptions name each other in a loop: {loop}")
        for name, assumption in ready:
            yield name, assumption
            done.add(name)
            del pending[name]


def expand(values: tuple[float, ...] | None, T: int) -> np.ndarray:
    """A series' stored values as T floats (one stored value means the same every year)."""
    array = np.asarray(values, dtype=float)
    return np.full(T, array[0]) if array.size == 1 else array


def series_values(series: Series, params: Mapping[str, Parameter], T: int) -> np.ndarray:
    """T values of any series, following an assumption name to that assumption's values."""
    if series.ref is not None:
        return params[f"assumptions.{series.ref}"].value if series.ref != "none" else np.zeros(T)
    return expand(series.values, T)


def resolve(params: Mapping[str, Parameter], overrides: Mapping[str, object] | None = None) -> dict[str, np.ndarray]:
    """Each parameter as an array with a leading draws axis: (D, T) for series, (D,) for scalars.

    ``overrides`` maps paths to values: a scalar, an array of shape (T,) or (D, T) for a series,
    or (D,) for a scalar. Unknown paths raise UsageError naming the closest path.
    """
    overrides = dict(overrides or {})
    check_paths(params, overrides)
    out: dict[str, np.ndarray] = {}
    for path, param in params.items():
        if path in overrides:
            value = overrides[path]
        elif param.ref is not None and param.ref in out:
            out[path] = out[param.ref]
            continue
        else:
            value = param.value
        out[path] = _with_draws(np.asarray(value, dtype=float), param)
    return out


def _with_draws(array: np.ndarray, param: Parameter) -> np.ndarray:
    """Shape a value for the engine: scalars (D,), series (D, T); D may be 1."""
    if not param.is_series:
        if array.ndim > 1:
            raise UsageError(f"{param.path}: a scalar takes one value per draw, not shape {array.shape}")
        return array.reshape(-1)
    T = param.value.shape[0]
    if array.ndim == 0:
        return np.full((1, T), float(array))
    if array.ndim == 1 and array.shape[0] == T:
        return array.reshape(1, T)
    if array.ndim == 2 and array.shape[1] == T:
        return array
    raise UsageError(f"{param.path}: a series takes shape ({T},) or (draws, {T}), not {array.shape}")


def check_paths(params: Mapping[str, Parameter], paths) -> None:
    """Raise UsageError for any path that is not a parameter, naming the closest one."""
    for path in paths:
        if path not in params:
            raise UsageError(f"unknown path '{path}' ({closest_path_hint(path, params)})")


def closest_path_hint(path: str, params: Mapping[str, Parameter]) -> str:
    """'did you mean ...?' naming the nearest parameter path, or where to find the list."""
    close = difflib.get_close_matches(path, list(params), n=1, cutoff=0.5)
    return f"did you mean '{close[0]}'?" if close else "see `mtfp paths SCENARIO` for the paths of this scenario"
