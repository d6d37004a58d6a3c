"""The budget bridge: from the base-year budget gap to the final year's net gap, step by step.

Every step is in the scenario unit and the steps add up exactly to the final net gap::

    net_gap[T] = gross_gap[0]                                  (the base-year budget)
               + sum over assumptions a of inflation_a          (pay, prices, care_fees, ...)
               + demand + workforce (pay, employer NI, employer pension, levy)
               + contractual inflation + pressures + reserve_contributions[T]
               + capital financing + capital from revenue   (changes since the base year)
               - (council_tax[T] - council_tax[0]) - (business_rates...) - (grants...)
               + sum over grants g that have ended by T of grant_g[last year received]
               - savings[T] + one_off_costs[T]

A grant that ends is its own step ("Recovery Grant ends"): the amount it was worth in its last
year; the grants step then holds every other change in grants, including that grant's change
from the base year to its last year.

How the change in line costs is split. Each cost component (line L, cost-mix part c) grows as
``cost[t] = cost[t-1] * (1 + rate[c,t]) * (1 + demand[L,t])`` (a volume-driven line: with its
volume). The engine is run a second time with every line's volume held at its base-year level
(demand and volume growth 0%); the final-year cost of that run, less the base, is the inflation
of component c, credited to its assumption. What is left of the real change in cost is demand —
measured at inflated prices, so demand also carries the small compound term ``inflation x
demand``. The parts of lines with their own driver are steps of their own (see
:mod:`.driverbridge`): the workforce share by measure (pay, employer NI, employer pension,
apprenticeship levy) and contractual inflation. Pressures are not inflated, so their step is the
change in their level.

In real terms (``result.real``) every final-year figure is at base-year prices, so each step is
a real change: an assumption's step is its inflation above the deflating index (negative when it
is below), and cost-mix parts with no inflation (``none``) show the real-terms fall of a budget
held flat in cash. The steps still add up exactly.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mtfpmodel.engine.inputs import build_inputs
from mtfpmodel.engine.parameters import funding_sources
from mtfpmodel.engine.projection import project
from mtfpmodel.results.driverbridge import contract_steps, frozen_volumes, workforce_steps
from mtfpmodel.results.result import Result


@dataclass(frozen=True)
class Step:
    """One bar of the bridge: a change (or, when ``total``, a level) [scenario unit]."""

    label: str
    value: float
    total: bool = False


def bridge(result: Result, year: int | None = None) -> list[Step]:
    """The steps from the base-year gap to the net gap of ``year`` (index t, default the last).

    The first and last steps are levels (``total=True``); the middle steps are changes that sum
    exactly (to rounding) to ``last - first``. Steps that are exactly zero are left out.
    """
    r = result.results
    t = r.net_gap.shape[-1] - 1 if year is None else year
    labels = result.labels
    steps = [Step(f"{labels[0]} gap", float(r.gross_gap[0, 0]), total=True)]
    steps += inflation_and_demand_steps(result, t)
    steps += [Step(label, value) for label, value in workforce_steps(result, t) + contract_steps(result, t)]
    steps.append(Step("pressures", float(r.pressure_level[0, :, t].sum() - r.pressure_level[0, :, 0].sum())))
    steps += capital_steps(result, t)
    steps.append(Step("contributions to reserves", float(r.reserve_contributions[0, t] - r.reserve_contributions[0, 0])))
    steps += funding_steps(result, t)
    steps.append(Step("savings", -float(r.savings[0, t])))
    steps.append(Step("one-off costs", float(r.one_off_costs[0, t])))
    steps.append(Step(f"{labels[t]} net gap", float(r.net_gap[0, t]), total=True))
    return [s for s in steps if s.total or s.value != 0.0]


def inflation_and_demand_steps(result: Result, t: int) -> list[Step]:
    """Inflation per assumption (volumes held at the base year) and demand (the rest of the change in
    the cost-mix parts of the lines)."""
    scenario = result.scenario
    actual = result.results.component_cost[0]
    inputs = build_inputs(scenario, frozen_volumes(scenario))
    inflated = result.deflate(project(inputs).component_cost)[0]
    parts = [part for _, part in inputs.layout.components]
    steps = []
    for name in [*scenario.assumptions, "none"]:     # 'none' parts move only in real terms
        mask = np.array([p == name for p in parts], dtype=bool)
        if mask.any():
            label = f"{name} inflation" if name != "none" else "cash-flat parts of lines (real terms)"
            steps.append(Step(label, float((inflated[mask, t] - inflated[mask, 0]).sum())))
    demand = float((actual[:, t] - inflated[:, t]).sum())
    steps.append(Step("demand", demand))
    return steps


def funding_steps(result: Result, t: int) -> list[Step]:
    """Minus the change in council tax, business rates and grants: more funding closes the gap.
    Each grant that has ended by year t is a step of its own, worth its last year's amount."""
    r = result.results
    steps = [Step("council tax", -float(r.council_tax[0, t] - r.council_tax[0, 0]))]
    sources = funding_sources(result.scenario)
    rates = [i for i, (prefix, _) in enumerate(sources) if prefix == "funding.business_rates"]
    grants = [i for i, (prefix, _) in enumerate(sources) if prefix != "funding.business_rates"]
    ended = []
    for i in grants:
        end = getattr(sources[i][1], "ends", None)
        if end in result.labels and result.labels.index(end) < t:
            ended.append(Step(f"{sources[i][1].name} ends", float(r.source_amount[0, i, result.labels.index(end)])))
    for label, index in (("business rates", rates), ("grants", grants)):
        if index:
            change = r.source_amount[0, index, t].sum() - r.source_amount[0, index, 0].sum()
            if label == "grants":
                change += sum(step.value for step in ended)     # the ends are shown on their own
            steps.append(Step(label, -float(change)))
    return steps + ended


def capital_steps(result: Result, t: int) -> list[Step]:
    """The change in the capital financing line (MRP and interest, with existing debt charges) and
    in revenue contributions to capital ("capital from revenue"), from the base year to year t."""
    r = result.results
    return [Step(label, float(array[0, t] - array[0, 0])) for label, array in
            (("capital financing", r.capital_financing), ("capital from revenue", r.revenue_contributions))]
