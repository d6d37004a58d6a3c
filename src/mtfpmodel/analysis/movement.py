"""Gap movement: why the net gap moved between two versions of a plan.

Reconciles ``net_gap[t]`` of NEW minus that of OLD, for each projection year, into named
causes. Start from OLD's (merged) scenario data and switch one group of inputs at a time to
NEW's values, in the fixed order below, projecting the plan after each switch; a cause is the
difference between the net gap after its switch and before it. The last switch makes the data
exactly NEW's, so the causes telescope: they sum to the total movement (to rounding error of
about 1e-12 of the figures).

Order (within a group, items in NEW's order; removed items after those):
  1. assumptions: new ones, then each changed assumption (inflation flows to every line, grant
     and saving that names it);
  2. expenditure lines: each line's base budget, cost mix, unit cost and workforce share
     (pay_from), and new lines; then each line's demand and volume;
  2a. the workforce: each on-cost (employer NI, pension, apprenticeship levy), then each pay
      group: changed, new, removed; 2b. each contract: changed, new, removed;
  3. pressures: changed, new, removed;
  4. council tax: tax base (and its growth), base-year Band D, increase, collection fund;
  5. business rates; 6. each grant: changed, new, removed;
  7. each savings stream: changed, new, removed;
  8. capital: the borrowing rate, the existing debt charges, then each capital scheme (changed,
     new, removed);
  9. each reserve: changed, new, removed (the whole section at once when one file uses the
     mapping form and the other the list);
  10. expenditure lines removed (after the savings that referred to them);
  11. "Other changes": anything else, e.g. a removed assumption or a changed source text.
A switch that would leave an intermediate file invalid (a stream naming a line that is only
renamed later) is merged with the next switch, and the cause is labelled with both.

Order matters when causes interact (a higher pay award on a line whose demand also rose): the
interaction goes to the later cause. A reserve's contributions are spending, so they move the
net gap; its planned use does not move the gap but the savings still to find
(``net_gap - planned_reserves_use``), so every cause also carries its change in planned use
and a second reconciliation, of the savings still to find, telescopes the same way. A reserve
change that moves neither (a new opening balance) is still listed, at zero, with what
changed. Money in the scenario unit.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from mtfpmodel.engine.inputs import build_inputs
from mtfpmodel.engine.projection import project
from mtfpmodel.scenario.errors import AnalysisError, ScenarioError
from mtfpmodel.scenario.loader import Loaded, validate
from mtfpmodel.scenario.schema import Scenario
from mtfpmodel.scenario.series import Series, year_labels
from mtfpmodel.scenario.units import money
from mtfpmodel.scenario.yamlfile import Where

CATEGORIES = ("assumption", "budget", "demand", "workforce", "contracts", "pressure", "council_tax",
              "business_rates", "grant", "savings", "capital", "reserves", "other")


@dataclass(frozen=True)
class Cause:
    """One reason the net gap moved: its change in each projection year [scenario unit]."""

    label: str
    category: str                 # one of CATEGORIES
    values: np.ndarray            # (T,) change in the net gap
    detail: str = ""
    planned: np.ndarray | None = None     # (T,) change in planned use of reserves (None: none)

    @property
    def total(self) -> float:
        return float(self.values.sum())


@dataclass(frozen=True)
class Movement:
    """The net gap of OLD and NEW and the causes that take one to the other."""

    years: tuple[str, ...]        # projection years
    units: str
    old_name: str
    new_name: str
    old_gap: np.ndarray           # (T,) net_gap of OLD
    new_gap: np.ndarray           # (T,) net_gap of NEW
    causes: tuple[Cause, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    old_planned: np.ndarray | None = None    # (T,) planned_reserves_use of OLD
    new_planned: np.ndarray | None = None    # (T,) planned_reserves_use of NEW

    @property
    def total(self) -> np.ndarray:
        """Total movement in each year: new_gap - old_gap = sum of the causes."""
        return self.new_gap - self.old_gap

    @property
    def planned_causes(self) -> tuple[Cause, ...]:
        """Causes that changed the planned use of reserves (and so the savings still to find)."""
        return tuple(c for c in self.causes if c.planned is not None and np.any(c.planned != 0.0))

    def still_to_find_rows(self) -> list[tuple[str, str, np.ndarray]]:
        """The savings still to find at OLD, the net gap's movement, each change in planned use of
        reserves (shown as its effect, minus the change in use), and the savings still to find at
        NEW: rows that add up exactly. Empty when planned use did not change."""
        if not self.planned_causes:
            return []
        rows = [("still_to_find_start", f"Savings still to find: {self.old_name}", self.old_gap - self.old_planned),
                ("still_to_find_gap", "Movement in the net gap (above)", self.total)]
        rows += [("still_to_find_reserves", f"{c.label}: planned use of reserves", -c.planned)
                 for c in self.planned_causes]
        rows.append(("still_to_find_end", f"Savings still to find: {self.new_name}", self.new_gap - self.new_planned))
        return rows

    def frame(self) -> pd.DataFrame:
        """movement.csv: gap at OLD, one row per cause, gap at NEW; years then ``total`` (sum of years).
        When planned use of reserves changed, the savings still to find follow the same way."""
        rows = [("start", f"Net gap: {self.old_name}", "", self.old_gap)]
        rows += [(c.category, c.label, c.detail, c.values) for c in self.causes]
        rows.append(("end", f"Net gap: {self.new_name}", "", self.new_gap))
        rows += [(category, label, "", values) for category, label, values in self.still_to_find_rows()]
        data: dict[str, list] = {"category": [r[0] for r in rows], "cause": [r[1] for r in rows],
                                 "detail": [r[2] for r in rows]}
        for t, year in enumerate(self.years):
            data[year] = [float(r[3][t]) for r in rows]
        data["total"] = [float(np.sum(r[3])) for r in rows]
        return pd.DataFrame(data)


@dataclass(frozen=True)
class Step:
    """Switch one group of inputs from OLD's values to NEW's, in place on the data."""

    label: str
    category: str
    apply: Callable[[dict], None]
    detail: str = ""


def movement(old: Loaded, new: Loaded) -> Movement:
    """Reconcile the change in net gap from ``old`` to ``new`` into causes (module docstring)."""
    check_comparable(old.scenario, new.scenario, old.path, new.path)
    state = copy.deepcopy(old.data)
    start, start_planned = gap_and_planned(old.scenario)
    gap, planned = start, start_planned      # the plan so far; rebound at each switch, never changed in place
    causes: list[Cause] = []
    pending: list[Step] = []
    for step in plan(old, new) + [Step("Other changes", "other", lambda d: _replace_all(d, new.data))]:
        step.apply(state)
        pending.append(step)
        try:
            scenario = validate(copy.deepcopy(state), Where("<movement>", 0), new.path).scenario
        except ScenarioError:
            continue     # not a valid plan yet: carry this switch into the next one
        after, after_planned = gap_and_planned(scenario)
        causes.append(_combine(pending, after - gap, after_planned - planned))
        gap, planned, pending = after, after_planned, []
    final, final_planned = gap_and_planned(new.scenario)
    kept = tuple(c for c in causes if np.any(c.values != 0.0) or np.any(c.planned != 0.0) or c.category == "reserves")
    return Movement(year_labels(new.scenario.base_year, new.scenario.years), new.scenario.units,
                    old.scenario.scenario, new.scenario.scenario, start, final, kept,
                    tuple(notes(old.scenario, new.scenario)), start_planned, final_planned)


def net_gap(scenario: Scenario) -> np.ndarray:
    """net_gap[t] for the projection years t = 1..T [scenario unit]."""
    return gap_and_planned(scenario)[0]


def gap_and_planned(scenario: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """(net_gap[t], planned_reserves_use[t]) for the projection years t = 1..T [scenario unit]."""
    results = project(build_inputs(scenario))
    return results.net_gap[0, 1:], results.planned_reserves_use[0, 1:]


def check_comparable(old: Scenario, new: Scenario, old_path: Path, new_path: Path) -> None:
    """Raise AnalysisError unless both plans cover the same years in the same unit."""
    problems = []
    for key, what in (("base_year", "base year differs"), ("years", "number of projection years differs"),
                      ("units", "units differ")):
        a, b = getattr(old, key), getattr(new, key)
        if a != b:
            problems.append(f"the {what}: {a} in {old_path}, {b} in {new_path}")
    if problems:
        raise AnalysisError("cannot compare these plans: " + "; ".join(problems) + ". A gap movement compares "
                            "two versions of the same plan; roll the older one forward (or convert its units) "
                            "and compare again.")


def notes(old: Scenario, new: Scenario) -> list[str]:
    """Changes that do not move the gap but a reader should know of."""
    a = {r.name: r for _, r in old.reserve_list}
    b = {r.name: r for _, r in new.reserve_list}
    policy = [name for name in b if name in a and (a[name].minimum, a[name].meets_gaps, a[name].ring_fenced)
              != (b[name].minimum, b[name].meets_gaps, b[name].ring_fenced)]
    if policy:
        return [f"The reserves policy (minimum, meets_gap or ring_fenced) changed for {', '.join(policy)}: this "
                "changes how the gap is met and the minimum it is judged against, not its size."]
    return []


def _combine(steps: list[Step], values: np.ndarray, planned: np.ndarray) -> Cause:
    if len(steps) == 1:
        return Cause(steps[0].label, steps[0].category, values, steps[0].detail, planned)
    labels = [s.label for s in steps]
    categories = {s.category for s in steps}
    return Cause(" + ".join(labels), categories.pop() if len(categories) == 1 else "other", values,
                 "changed together: the file is not valid with only some of these changes", planned)


# --- the steps ------------------------------------------------------------------------------

def plan(old: Loaded, new: Loaded) -> list[Step]:
    """The switches from OLD to NEW, in the documented order."""
    a, b = old.data, new.data
    return (_assumption_steps(old, new) + _line_steps(a, b) + _workforce_steps(a, b)
            + _named_steps(a, b, ("contracts",), "contracts", "Contract")
            + _named_steps(a, b, ("pressures",), "pressure", "Pressure")
            + _council_tax_steps(a, b) + _business_rates_steps(a, b)
            + _named_steps(a, b, ("funding", "grants"), "grant", "Grant")
            + _named_steps(a, b, ("savings",), "savings", "Saving") + _capital_financing_steps(a, b)
            + _named_steps(a, b, ("capital_programme",), "capital", "Capital scheme") + _reserve_steps(old, new)
            + _removed_line_steps(a, b))


def _assumption_steps(old: Loaded, new: Loaded) -> list[Step]:
    olds, news = old.data.get("assumptions") or {}, new.data.get("assumptions") or {}
    added = [name for name in news if name not in olds]
    steps = []
    if added:
        def add(d: dict) -> None:
            d.setdefault("assumptions", {}).update({n: copy.deepcopy(news[n]) for n in added})
        steps.append(Step("New assumptions: " + ", ".join(added), "assumption", add))
    for name in news:
        if name in olds and _rate_value(olds[name]) != _rate_value(news[name]):
            def switch(d: dict, name: str = name) -> None:
                d["assumptions"][name] = copy.deepcopy(news[name])
            detail = _describe(old.scenario.assumptions[name].value, new.scenario.assumptions[name].value,
                               year_labels(new.scenario.base_year, new.scenario.years))
            steps.append(Step(f"Assumption: {name}", "assumption", switch, detail))
    return steps


def _rate_value(assumption: Any) -> Any:
    return assumption["value"] if isinstance(assumption, dict) and "value" in assumption else assumption


def _describe(a: Series, b: Series, labels: tuple[str, ...]) -> str:
    """'3% → 4%' for constant rates, the years that changed when few did, else both series."""
    def rate(v: float) -> str:
        return f"{v * 100:g}%"

    if a.ref is not None or b.ref is not None or a.values is None or b.values is None:
        return f"{a.ref or 'rates'} → {b.ref or 'rates'}"
    if len(set(a.values)) == 1 and len(set(b.values)) == 1:
        return f"{rate(a.values[0])} → {rate(b.values[0])}"
    changed = [t for t, (x, y) in enumerate(zip(a.values, b.values)) if x != y]
    if len(changed) <= 2:
        return "; ".join(f"{labels[t]} {rate(a.values[t])} → {rate(b.values[t])}" for t in changed)
    return "[" + ", ".join(map(rate, a.values)) + "] → [" + ", ".join(map(rate, b.values)) + "]"


_LINE_PARTS = (("base", "base budget", "budget"), ("cost_mix", "cost mix", "budget"),
               ("unit_cost", "unit cost", "budget"), ("periods_per_year", "periods a year", "budget"),
               ("pay_from", "workforce share", "budget"), ("demand", "demand", "demand"),
               ("volume", "volume", "demand"))


def _line_steps(a: dict, b: dict) -> list[Step]:
    """Each line's base budget and cost mix, and new lines; then each line's demand."""
    olds = _by_name(a.get("expenditure"))
    budget, demand = [], []
    for item in b.get("expenditure") or []:
        name = item.get("name")
        if name not in olds:
            budget.append(Step(f"New budget line: {name}", "budget", _putter(("expenditure",), b, name)))
            continue
        for key, what, category in _LINE_PARTS:
            if olds[name].get(key) != item.get(key):
                def switch(d: dict, name: str = name, key: str = key, value: Any = item.get(key, _MISSING)) -> None:
                    _set(_by_name(d["expenditure"])[name], key, value)
                (demand if category == "demand" else budget).append(Step(f"{name}: {what}", category, switch))
    return budget + demand


_ON_COSTS = (("employer_ni", "employer NI"), ("employer_pension", "employer pension"),
             ("apprenticeship_levy", "apprenticeship levy"))


def _workforce_steps(a: dict, b: dict) -> list[Step]:
    """Each on-cost that changed, then each pay group: changed, new, removed."""
    old, new = a.get("workforce") or {}, b.get("workforce") or {}
    steps = []
    for key, what in _ON_COSTS:
        if old.get(key, _MISSING) != new.get(key, _MISSING):
            def switch(d: dict, key: str = key) -> None:
                _set(d.setdefault("workforce", {}), key, new.get(key, _MISSING))
            steps.append(Step(f"Workforce: {what}", "workforce", switch))
    return steps + _named_steps(a, b, ("workforce", "groups"), "workforce", "Pay group")


def _removed_line_steps(a: dict, b: dict) -> list[Step]:
    news = _by_name(b.get("expenditure"))
    return [Step(f"Budget line removed: {name}", "budget", _remover(("expenditure",), name))
            for name in _by_name(a.get("expenditure")) if name not in news]


def _named_steps(a: dict, b: dict, path: tuple[str, ...], category: str, noun: str) -> list[Step]:
    """Changed and new items of a named list in NEW's order, then removed ones."""
    olds, news = _by_name(_get(a, path)), _by_name(_get(b, path))
    steps = []
    for name, item in news.items():
        if name not in olds:
            steps.append(Step(f"New {noun.lower()}: {name}", category, _putter(path, b, name)))
        elif olds[name] != item:
            steps.append(Step(f"{noun}: {name}", category, _putter(path, b, name)))
    steps += [Step(f"{noun} removed: {name}", category, _remover(path, name)) for name in olds if name not in news]
    return steps


_TAX_PARTS = (("Council tax: tax base", ("tax_base", "tax_base_growth")),
              ("Council tax: base-year Band D", ("band_d",)),
              ("Council tax: Band D increase", ("increase",)),
              ("Council tax: collection fund", ("collection_fund",)))


def _council_tax_steps(a: dict, b: dict) -> list[Step]:
    old, new = _get(a, ("funding", "council_tax")) or {}, _get(b, ("funding", "council_tax")) or {}
    steps = []
    for label, keys in _TAX_PARTS:
        if any(old.get(k, _MISSING) != new.get(k, _MISSING) for k in keys):
            def switch(d: dict, keys: tuple = keys) -> None:
                tax = d["funding"]["council_tax"]
                for k in keys:
                    _set(tax, k, copy.deepcopy(new.get(k, _MISSING)))
            steps.append(Step(label, "council_tax", switch))
    return steps


def _business_rates_steps(a: dict, b: dict) -> list[Step]:
    old, new = _get(a, ("funding", "business_rates")), _get(b, ("funding", "business_rates"))
    if old == new:
        return []
    value = copy.deepcopy(new) if new is not None else _MISSING
    return [Step("Business rates", "business_rates", lambda d: _set(d["funding"], "business_rates", value))]


_FINANCING_PARTS = (("borrowing_rate", "Capital financing: borrowing rate"),
                    ("existing_debt_charges", "Capital financing: existing debt charges"))


def _capital_financing_steps(a: dict, b: dict) -> list[Step]:
    """The borrowing rate, then the existing debt charges (a block only one plan has is created or dropped)."""
    old, new = a.get("capital_financing") or {}, b.get("capital_financing") or {}
    steps = []
    for key, label in _FINANCING_PARTS:
        if old.get(key, _MISSING) != new.get(key, _MISSING):
            def switch(d: dict, key: str = key) -> None:
                block = d.setdefault("capital_financing", {})
                _set(block, key, new.get(key, _MISSING))
                if not block:
                    del d["capital_financing"]
            steps.append(Step(label, "capital", switch))
    return steps
def _reserve_steps(old: Loaded, new: Loaded) -> list[Step]:
    """Each reserve changed, new or removed; the whole section when the two files' forms differ."""
    a, b = old.data.get("reserves"), new.data.get("reserves")
    if a == b:
        return []
    if not (isinstance(a, list) and isinstance(b, list)):
        value = copy.deepcopy(b) if b is not None else _MISSING
        return [Step("Reserves", "reserves", lambda d: _set(d, "reserves", value), "the reserves section replaced")]
    steps = _named_steps(old.data, new.data, ("reserves",), "reserves", "Reserve")
    olds = {r.name: r for _, r in old.scenario.reserve_list}
    news = {r.name: r for _, r in new.scenario.reserve_list}
    return [Step(s.label, s.category, s.apply, _reserve_detail(olds, news, s.label, new.scenario.units)) for s in steps]


_RESERVE_KEYS = ("opening", "minimum", "contributions", "planned_use", "ring_fenced", "meets_gap", "kind")


def _reserve_detail(olds: dict, news: dict, label: str, unit: str) -> str:
    """'opening £26,700k → £20,000k; planned_use changed' for a changed reserve."""
    name = label.split(": ", 1)[-1]
    if name not in olds or name not in news:
        return ""
    parts = []
    for key in _RESERVE_KEYS:
        x, y = getattr(olds[name], key), getattr(news[name], key)
        if x != y:
            parts.append(f"{key} {money(x, unit)} → {money(y, unit)}" if key == "opening" else f"{key} changed")
    return "; ".join(parts)


# --- editing the data -------------------------------------------------------------------------

_MISSING = object()


def _get(data: dict, path: tuple[str, ...]) -> Any:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _by_name(items: Any) -> dict[str, dict]:
    return {item["name"]: item for item in items or [] if isinstance(item, dict) and "name" in item}


def _set(node: dict, key: str, value: Any) -> None:
    if value is _MISSING:
        node.pop(key, None)
    else:
        node[key] = copy.deepcopy(value)


def _list_at(data: dict, path: tuple[str, ...]) -> list:
    for key in path[:-1]:
        data = data.setdefault(key, {})
    return data.setdefault(path[-1], [])


def _putter(path: tuple[str, ...], new: dict, name: str) -> Callable[[dict], None]:
    """Put NEW's item ``name`` into the list, replacing OLD's or in NEW's position among the rest."""
    order = list(_by_name(_get(new, path)))
    item = _by_name(_get(new, path))[name]

    def put(d: dict) -> None:
        items = _list_at(d, path)
        names = [i.get("name") for i in items]
        if name in names:
            items[names.index(name)] = copy.deepcopy(item)
            return
        before = [n for n in order[:order.index(name)] if n in names]
        items.insert(names.index(before[-1]) + 1 if before else 0, copy.deepcopy(item))
    return put


def _remover(path: tuple[str, ...], name: str) -> Callable[[dict], None]:
    def remove(d: dict) -> None:
        items = _list_at(d, path)
        items[:] = [i for i in items if i.get("name") != name]
    return remove


def _replace_all(data: dict, new: dict) -> None:
    data.clear()
    data.update(copy.deepcopy(new))
