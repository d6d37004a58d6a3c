"""Warnings about a valid scenario: things a finance officer must see but that do not stop a run."""
from __future__ import annotations

from typing import Mapping

import numpy as np

from mtfpmodel.engine.parameters import Parameter, series_values
from mtfpmodel.engine.projection import Results
from mtfpmodel.results.counciltax import above_limit
from mtfpmodel.results.reserves import reserve_warnings
from mtfpmodel.scenario.errors import Problem
from mtfpmodel.scenario.limits import shown
from mtfpmodel.scenario.names import near_name
from mtfpmodel.scenario.schema import Scenario
from mtfpmodel.scenario.units import in_words, money, percent
from mtfpmodel.scenario.yamlfile import Where, locate

BASE_YEAR_TOLERANCE = 0.005   # share of net expenditure


def warnings(scenario: Scenario, results: Results, labels: tuple[str, ...],
             params: Mapping[str, Parameter], where: Where | None = None) -> list[Problem]:
    """Referendum limit exceeded; base year not balanced; reserves (planned use beyond a balance, a
    minimum that looks like a share). Uses draw 0."""
    return (referendum_warnings(scenario, labels, params, where)
            + base_year_warnings(scenario, results, labels, where)
            + reserve_warnings(scenario, results, labels, where)
            + formula_name_warnings(scenario, where)
            + unused_assumption_warnings(scenario, params, where)
            + grant_end_warnings(scenario, labels, where)
            + large_rate_warnings(scenario, labels, params, where))


LARGE_RATE = 1.0      # an assumption above 100% a year was most likely typed without its decimal point


def large_rate_warnings(scenario: Scenario, labels: tuple[str, ...], params: Mapping[str, Parameter],
                        where: Where | None) -> list[Problem]:
    """An assumption above 100% a year in some year: 320% for 3.20%, most likely."""
    problems = []
    for name in scenario.assumptions:
        param = params.get(f"assumptions.{name}")
        if param is None or param.kind != "rate":
            continue
        values = np.broadcast_to(param.value, (scenario.years,))
        years = [labels[t + 1] for t in range(scenario.years) if values[t] > LARGE_RATE]
        if years:
            top = float(values.max())
            file, line = locate(where, "assumptions", name)
            problems.append(Problem(f"the assumption {shown(name)} is {percent(top)} a year in {', '.join(years)}",
                                    file=file, line=line, path=f"assumptions.{name}",
                                    hint=f"did you mean {percent(top / 100)}? a rate above 100% a year is rare"))
    return problems


def grant_end_warnings(scenario: Scenario, labels: tuple[str, ...], where: Where | None) -> list[Problem]:
    """A grant given year by year with amounts for years after its last (``ends``): a grant is 0
    then, so those amounts are dropped — most likely a mistyped end year or values meant for
    another grant. One amount for every year (``values: 600``, stored as the same amount in each
    year), or zeros after the end, is how a grant that stops is written, and is left alone."""
    problems = []
    unit = scenario.units
    for g, grant in enumerate(scenario.funding.grants):
        values = grant.values.values if grant.values is not None else None
        if grant.ends is None or values is None or len(set(values)) == 1:
            continue
        dropped = [(labels[t + 1], value) for t, value in enumerate(values)
                   if labels[t + 1] > grant.ends and value != 0]
        if not dropped:
            continue
        file, line = locate(where, "funding", "grants", g, "values")
        listed = in_words([f"{year} ({money(value, unit)})" for year, value in dropped])
        problems.append(Problem(f"the grant ends in {grant.ends}, so the amounts given for {listed} are not used",
                                file=file, line=line, path=f"funding.grants[{grant.name}].values",
                                hint=f"a grant is 0 after its last year: move ends to the last year it is "
                                     f"received, or give 0 for the years after {grant.ends}"))
    return problems


def unused_assumption_warnings(scenario: Scenario, params: Mapping[str, Parameter],
                               where: Where | None) -> list[Problem]:
    """An assumption nothing uses whose name is close to one that is used: most likely a misspelt
    name (a child's ``care_fee:`` for the parent's ``care_fees:``), so the value meant never applies.

    An assumption is used when a line's cost mix has it as a part or any rate names it (growth,
    an index, another assumption). One nothing uses, with no used name close to it, may be there on
    purpose (an index kept for ``--real``): it is left alone.
    """
    used = {param.ref.removeprefix("assumptions.") for param in params.values() if param.ref}
    used |= {part for line in scenario.expenditure for part in line.cost_mix}
    problems = []
    for name in scenario.assumptions:
        if name in used:
            continue
        like = near_name(name, sorted(used))
        if like is not None:
            file, line = locate(where, "assumptions", name)
            problems.append(Problem(f"the assumption {shown(name)} is used by nothing in the plan, while "
                                    f"{shown(like)} is", file=file, line=line, path=f"assumptions.{name}",
                                    hint=f"did you mean '{like}'? a misspelt name adds an assumption and leaves "
                                         f"'{like}' as it was"))
    return problems


FORMULA_STARTS = "=+-@"     # a spreadsheet reads a CSV cell that starts with one of these as a formula


def formula_name_warnings(scenario: Scenario, where: Where | None) -> list[Problem]:
    """A name (or the scenario's name, which compare.csv holds) that starts with '=', '+', '-' or
    '@': the CSV files hold it as it is, and Excel, opening one, reads such a cell as a formula
    ('=1+1' shows as 2, '-Agency staff' as #NAME?; a crafted one can fetch or run something). The
    name still works: this warns, as refusing it would break a plan that runs today."""
    named = [(("scenario",), "scenario", scenario.scenario)]
    lists = [(("expenditure",), "expenditure", scenario.expenditure), (("pressures",), "pressures", scenario.pressures),
             (("funding", "grants"), "funding.grants", scenario.funding.grants), (("savings",), "savings", scenario.savings),
             (("contracts",), "contracts", scenario.contracts),
             (("capital_programme",), "capital_programme", scenario.capital_programme)]
    if scenario.workforce is not None:
        lists.append((("workforce", "groups"), "workforce.groups", scenario.workforce.groups))
    for keys, path, items in lists:
        named += [((*keys, i, "name"), f"{path}[{item.name}].name", item.name) for i, item in enumerate(items)]
    named += [(("reserves", "name") if prefix == "reserves" else ("reserves", r, "name"), f"{prefix}.name", reserve.name)
              for r, (prefix, reserve) in enumerate(scenario.reserve_list)]
    problems = []
    for keys, path, name in named:
        first = (name or "").lstrip()[:1]
        if first and first in FORMULA_STARTS:
            file, line = locate(where, *keys)
            problems.append(Problem(f"the name {shown(name)} starts with '{first}': a spreadsheet opening the CSV "
                                    "files reads such a cell as a formula", file=file, line=line, path=path,
                                    hint=f"rename it without the leading '{first}'"))
    return problems


def referendum_warnings(scenario: Scenario, labels: tuple[str, ...], params: Mapping[str, Parameter],
                        where: Where | None) -> list[Problem]:
    tax = scenario.funding.council_tax
    if tax.referendum_limit is None:
        return []
    increase = sum((params[f"funding.council_tax.increase.{p}"].value for p in tax.increase),
                   np.zeros(scenario.years))
    limit = series_values(tax.referendum_limit, params, scenario.years)
    file, line = locate(where, "funding", "council_tax", "increase")
    above: dict[tuple[str, str], list[str]] = {}      # (increase, limit) → years
    above_in = above_limit(increase, limit)
    for t in range(scenario.years):
        if above_in[t]:
            above.setdefault((percent(increase[t]), percent(limit[t])), []).append(labels[t + 1])
    if not above:
        return []
    parts = [f"{rise} against a limit of {cap} in {', '.join(years)}" for (rise, cap), years in above.items()]
    return [Problem(f"the Band D increase is above the referendum limit: {'; '.join(parts)}",
                    file=file, line=line, path="funding.council_tax.increase",
                    hint="an increase above the limit needs a local referendum")]


def base_year_warnings(scenario: Scenario, results: Results, labels: tuple[str, ...],
                       where: Where | None) -> list[Problem]:
    spend = float(results.net_expenditure[0, 0])
    funds = float(results.funding[0, 0])
    gap = spend - funds
    if abs(gap) <= BASE_YEAR_TOLERANCE * abs(spend):
        return []
    file, line = locate(where, "base_year")
    if where is not None and file != where.file:      # base_year is the parent's: name the file being run
        file, line = where.file, where.line
    unit = scenario.units
    return [Problem(f"the base year {labels[0]} does not balance: net expenditure {money(spend, unit)} "
                    f"against funding {money(funds, unit)}, a gap of {money(gap, unit)}",
                    file=file, line=line, path="base_year",
                    hint="the difference is carried into every year; check line bases and funding")]
