"""Which inputs an analysis varies, how to name them for cabinet, and checks of the paths the
``sensitivity:`` and ``monte_carlo:`` blocks name (each problem located at its file and line).
"""
from __future__ import annotations

import re
from typing import Mapping

import numpy as np

from mtfpmodel.engine.parameters import Parameter, closest_path_hint
from mtfpmodel.scenario.errors import Problem, ScenarioError
from mtfpmodel.scenario.riskconfig import MonteCarloConfig, SensitivityConfig
from mtfpmodel.scenario.schema import Scenario
from mtfpmodel.scenario.units import percent
from mtfpmodel.scenario.yamlfile import Where, locate

_ONE_WAY = re.compile(r"^(assumptions\.[^.]+|funding\.council_tax\.increase\.[^.]+|funding\.council_tax\.tax_base_growth"
                      r"|funding\.(grants\[.*\]|business_rates)\.growth|expenditure\[.*\]\.(demand|volume\.growth)"
                      r"|workforce\.groups\[.*\]\.pay_award|workforce\.employer_(ni|pension)\.rate"
                      r"|contracts\[.*\]\.index|capital_financing\.borrowing_rate)$")
_NAMES = {"workforce.employer_ni.rate": "employer NI rate", "workforce.employer_pension.rate": "employer pension rate",
          "funding.council_tax.band_d": "Band D"}


def one_way_paths(params: Mapping[str, Parameter], scenario: Scenario | None = None,
                  everything: bool = False) -> list[str]:
    """Rate assumptions, council tax increase parts, tax base growth, grant and business rates
    growth, line demand and volume growth, pay awards, employer NI and pension rates, contract
    indices and the borrowing rate — each when given as a rate, not as an assumption's name (the
    assumption's own row moves it): the inputs of the one-way sensitivity table, in file order.

    With ``scenario`` (and not ``everything``), only the drivers the scenario sets: a line whose
    file gives no ``demand`` (so 0%), or a grant with no ``growth``, is left out — moving a rate
    nobody wrote down answers a question no one asked."""
    paths = [path for path, param in params.items() if param.kind == "rate" and _ONE_WAY.match(path)
             and param.ref is None]   # a rate that names an assumption moves with it: the assumption has the row
    if scenario is None or everything:
        return paths
    return [path for path in paths if is_set(scenario, path)]


def is_set(scenario: Scenario, path: str) -> bool:
    """Whether the scenario file (after ``extends:`` and ``--set``) gives the value at ``path``
    itself, rather than leaving it at its default."""
    match = re.match(r"^expenditure\[(.*)\]\.demand$", path)
    if match:
        line = next(x for x in scenario.expenditure if x.name == match.group(1))
        return "demand" in line.model_fields_set
    match = re.match(r"^funding\.grants\[(.*)\]\.growth$", path)
    if match:
        grant = next(g for g in scenario.funding.grants if g.name == match.group(1))
        return grant.growth is not None
    if path == "funding.business_rates.growth":
        return scenario.funding.business_rates is not None and scenario.funding.business_rates.growth is not None
    if path == "funding.council_tax.tax_base_growth":
        return "tax_base_growth" in scenario.funding.council_tax.model_fields_set
    return True


ABBREVIATIONS = {"cpi": "CPI", "rpi": "RPI", "cpih": "CPIH", "nlw": "NLW", "ni": "NI", "asc": "ASC", "pwlb": "PWLB"}


def label(path: str) -> str:
    """A short name for sentences, tables and charts: 'assumptions.pay' → 'pay', 'assumptions.care_fees'
    → 'care fees',
    'funding.council_tax.increase.core' → 'council tax core', 'expenditure[Adults].demand' →
    'Adults demand', 'funding.grants[RSG].growth' → 'RSG growth'; 'assumptions.rpi' → 'RPI'."""
    if path.startswith("assumptions."):
        words = path[len("assumptions."):].split("_")
        return " ".join(ABBREVIATIONS.get(word.casefold(), word) for word in words)
    if path in _NAMES:
        return _NAMES[path]
    if path.startswith("capital_financing."):
        return path.rsplit(".", 1)[1].replace("_", " ")
    if path.startswith("funding.council_tax.increase."):
        return "council tax " + path.rsplit(".", 1)[1].replace("_", " ")
    if path.startswith("funding.council_tax."):
        return path.rsplit(".", 1)[1].replace("_", " ")
    match = re.match(r"^[a-z_.]*\[(.*)\]\.(.*)$", path)
    if match:
        return f"{match.group(1)} {match.group(2).replace('_', ' ').replace('.', ' ')}"
    return path.removeprefix("funding.").replace(".", " ").replace("_", " ")


SHARES = ("confidence", "reduction", "interest_rate", "drift", "vacancy", "base_rate", "base_index", "cap", "collar",
          "rate")     # single numbers that are fractions: shown in %


def in_percent(path: str, param: Parameter, scenario: Scenario) -> bool:
    """Whether a value is shown as a percentage: every rate, and the single numbers that are
    shares (a stream's confidence or reduction, an interest rate, a grant's certainty share, a reserve's
    minimum given as a share)."""
    field = path.rsplit(".", 1)[-1]
    if param.kind == "rate" or field in SHARES or field == "certainty":
        return True
    return field == "minimum" and any(f"{prefix}.minimum" == path and reserve.minimum_share is not None
                                      for prefix, reserve in scenario.reserve_list)


POUNDS = ("band_d", "unit_cost_from", "unit_cost_to", "unit_cost", "average_salary", "base_threshold", "threshold",
          "allowance")            # in pounds, whatever the scenario's unit
PLAIN = ("tax_base", "periods_per_year", "volume", "life", "fte", "headcount")   # counts: no unit


def unit_of(path: str, param: Parameter, scenario: Scenario) -> str:
    """What an input is measured in, the one rule every command shows it by: '%' (rates and
    shares, :func:`in_percent`), '£' (Band D, unit costs, salaries, the NI threshold and allowance),
    '' (counts: the tax base, volumes, FTE, periods, asset lives) or the scenario's unit (every
    other amount: budgets, pressures, grants, reserves)."""
    if in_percent(path, param, scenario):
        return "%"
    field = "volume" if ".volume." in path else path.rsplit(".", 1)[-1]
    if field in POUNDS:
        return "£"
    return "" if field in PLAIN else scenario.units


def value_text(value: float, param: Parameter, scenario: Scenario) -> str:
    """An input's value with its unit (:func:`unit_of`), as the analyses show it: a percentage to two
    places ('3.00%'), else six significant figures, as an officer would type it ('£1,834.56',
    '1,200', '0.5 £m', '-2,496.62 £000')."""
    unit = unit_of(param.path, param, scenario)
    if unit == "%":
        return percent(value)
    value = 0.0 if abs(value) < 1e-9 else value       # a solver's -1e-13 is shown as the 0 it is
    number = f"{abs(value) if unit == '£' else value:,.6g}"
    if unit == "£":
        return f"{'-' if value < 0 else ''}£{number}"
    return f"{number} {unit}" if unit else number


def heading(path: str) -> str:
    """:func:`label` as a table row's heading: 'pay' → 'Pay', 'council tax core' → 'Council tax core'."""
    text = label(path)
    return text[:1].upper() + text[1:]


def _unknown(path: str, params: Mapping[str, Parameter], file, line, field: str) -> Problem:
    return Problem(f"unknown path '{path}'", file=file, line=line, path=field, hint=closest_path_hint(path, params))


def _size(path: str, values, params: Mapping[str, Parameter], file, line, field: str) -> list[Problem]:
    """A rate beyond ±100%: a bare number above 1 (2 for 2%) almost always means a percentage, and
    one written with % (-200%) is as unlikely. The value is read already, so the message says it
    both ways."""
    if params[path].kind != "rate":
        return []
    for value in values:
        if abs(value) > 1:
            return [Problem(f"{value:g} ({value * 100:g}%) is beyond ±100% for the rate '{path}'", file=file,
                            line=line, path=field, hint=f"for {value:g}% write {value:g}% or {value / 100:g}")]
    return []


def check_sensitivity(config: SensitivityConfig, params: Mapping[str, Parameter], where: Where | None) -> None:
    """Raise ScenarioError for any unknown or mis-sized path in ``sensitivity.ranges``."""
    problems = []
    for path, pair in config.ranges.items():
        file, line = locate(where, "sensitivity", "ranges", path)
        field = f"sensitivity.ranges.{path}"
        problems += [_unknown(path, params, file, line, field)] if path not in params else \
            _size(path, pair, params, file, line, field)
    if problems:
        raise ScenarioError(problems)


def check_monte_carlo(config: MonteCarloConfig, params: Mapping[str, Parameter], where: Where | None) -> None:
    """Raise ScenarioError for unknown paths, mis-sized rates, by_year shocks on a single number,
    and a correlation matrix that is not positive semi-definite."""
    problems = []
    for path, dist in config.distributions.items():
        file, line = locate(where, "monte_carlo", "distributions", path)
        field = f"monte_carlo.distributions.{path}"
        if path not in params:
            problems.append(_unknown(path, params, file, line, field))
            continue
        numbers = dist.numbers if dist.family != "normal" else dist.numbers[:1]
        problems += _size(path, numbers, params, file, line, field)
        if dist.shock == "by_year" and not params[path].is_series:
            problems.append(Problem("shock: by_year needs a value by year, but this is a single number",
                                    file=file, line=line, path=field, hint="use shock: persistent"))
    for a, row in config.correlation.items():
        for b in (a, *row):
            file, line = locate(where, "monte_carlo", "correlation", a, *([b] if b != a else []))
            if b not in config.distributions:
                field = f"monte_carlo.correlation.{a}" + (f".{b}" if b != a else "")
                problem = _unknown(b, params, file, line, field) if b not in params else Problem(
                    f"'{b}' has no distribution", file=file, line=line, path=field,
                    hint="add it under monte_carlo.distributions, or remove the correlation")
                problems.append(problem)
    if not problems:
        matrix_problem = _check_matrix(config, where)
        problems += [matrix_problem] if matrix_problem else []
    if problems:
        raise ScenarioError(sorted(set(problems), key=lambda p: (p.line or 0, p.path)))


def correlation_matrix(config: MonteCarloConfig) -> np.ndarray:
    """The full correlation matrix over ``config.distributions`` (in their order); unspecified pairs 0."""
    paths = list(config.distributions)
    matrix = np.eye(len(paths))
    for a, row in config.correlation.items():
        for b, rho in row.items():
            i, j = paths.index(a), paths.index(b)
            matrix[i, j] = matrix[j, i] = rho
    return matrix


def _check_matrix(config: MonteCarloConfig, where: Where | None) -> Problem | None:
    seen: dict[frozenset, float] = {}
    file, line = locate(where, "monte_carlo", "correlation")
    for a, row in config.correlation.items():
        for b, rho in row.items():
            key = frozenset((a, b))
            if key in seen and seen[key] != rho:
                return Problem(f"the correlation of {a} with {b} is given twice, as {seen[key]:g} and {rho:g}",
                               file=file, line=line, path="monte_carlo.correlation", hint="give each pair once")
            seen[key] = rho
    lowest = float(np.linalg.eigvalsh(correlation_matrix(config)).min()) if config.correlation else 1.0
    if lowest < -1e-9:
        return Problem(f"the correlations are not consistent with each other: the matrix is not positive "
                       f"semi-definite (smallest eigenvalue {lowest:.3f})", file=file, line=line,
                       path="monte_carlo.correlation",
                       hint="e.g. A and B, and B and C, strongly positive but A and C strongly negative is "
                            "impossible; weaken one of them")
    return None
