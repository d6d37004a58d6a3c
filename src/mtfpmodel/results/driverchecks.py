"""Checks of the cost drivers that need the projected figures (draw 0 of a run).

Errors (the plan as written cannot be right): a line whose workforce share and contracts cost
more than its base budget in the base year; a savings stream moving more units off a
volume-driven line than the line has. Warning: a pay group no budget line carries.
"""
from __future__ import annotations

import numpy as np

from mtfpmodel.engine.parameters import expand
from mtfpmodel.engine.projection import Results
from mtfpmodel.results.workforce import carried_share
from mtfpmodel.scenario.errors import Problem, ScenarioError
from mtfpmodel.scenario.schema import Scenario
from mtfpmodel.scenario.series import year_labels
from mtfpmodel.scenario.units import money
from mtfpmodel.scenario.yamlfile import Where, locate


def check_drivers(scenario: Scenario, results: Results, labels: tuple[str, ...], where: Where | None) -> None:
    """Raise ScenarioError listing every carved-out line over its base and every stream moving too much."""
    problems = carved_problems(scenario, results, where) + moved_problems(scenario, results, labels, where)
    if problems:
        raise ScenarioError(problems)


def carved_problems(scenario: Scenario, results: Results, where: Where | None) -> list[Problem]:
    problems = []
    unit = scenario.units
    for i, line in enumerate(scenario.expenditure):
        if line.volume is not None:
            continue
        staff, contracts = float(results.line_workforce[0, i, 0]), float(results.line_contracts[0, i, 0])
        carved = staff + contracts
        if carved > 0 and carved > line.base + 1e-9 * max(abs(line.base), 1.0):
            file, at = locate(where, "expenditure", i, "base")
            problems.append(Problem(
                f"the line's workforce share ({money(staff, unit)}) and contracts ({money(contracts, unit)}) come to "
                f"{money(staff + contracts, unit)} in the base year, more than its base budget {money(line.base, unit)}",
                file=file, line=at, path=f"expenditure[{line.name}].base",
                hint="base is the whole line's budget, including the parts carved out of it: raise it or lower "
                     "pay_from or the contract values"))
    return problems


def moved_problems(scenario: Scenario, results: Results, labels: tuple[str, ...], where: Where | None) -> list[Problem]:
    problems = []
    names = [line.name for line in scenario.expenditure]
    for n, stream in enumerate(scenario.savings):
        source = getattr(stream, "moves_from", None)
        if source is None:
            continue
        moved = np.concatenate([[0.0], expand(stream.volume.values, scenario.years)])
        available = results.line_volume[0, names.index(source)]
        over = [t for t in range(1, len(labels)) if moved[t] > available[t] + 1e-9]
        if over:
            file, at = locate(where, "savings", n, "volume")
            years = ", ".join(f"{labels[t]} ({moved[t]:g} of {available[t]:,.1f})" for t in over)
            problems.append(Problem(f"moves more units than '{source}' has: {years}", file=file, line=at,
                                    path=f"savings[{stream.name}].volume",
                                    hint="the moved volume may not exceed the line's volume in any year"))
    return problems


def _contracts_outside_the_plan(scenario: Scenario, where: Where | None) -> list[Problem]:
    """A contract clause (start to end) that covers none of the projection years: most likely a
    mistyped year, since the contract then simply rises with its line's cost mix."""
    labels = year_labels(scenario.base_year, scenario.years)
    out = []
    for c, contract in enumerate(scenario.contracts):
        before = contract.end is not None and contract.end < labels[0]
        after = contract.start is not None and contract.start > labels[-1]
        if before or after:
            key = "end" if before else "start"
            file, at = locate(where, "contracts", c, key)
            term = f"{contract.start or 'the start'} to {contract.end or 'beyond the plan'}"
            out.append(Problem(f"the contract's clause ({term}) covers none of the plan's years ({labels[0]} to "
                               f"{labels[-1]}), so the contract rises with its line's cost mix in every year",
                               file=file, line=at, path=f"contracts[{contract.name}].{key}",
                               hint="check the years; a clause that has ended can be left out"))
    return out


SALARY_IN_THOUSANDS = 1_000      # £ a year: an average salary or NI threshold below this was written in £000


def driver_warnings(scenario: Scenario, where: Where | None) -> list[Problem]:
    """A contract clause outside the plan's years; a pay group that no budget line carries (reported
    in the workforce table, not in the plan); a salary or NI threshold so small it was surely written
    in £000 (they are in pounds a year)."""
    out = _contracts_outside_the_plan(scenario, where)
    if scenario.workforce is None:
        return out
    for g, group in enumerate(scenario.workforce.groups):
        if group.average_salary < SALARY_IN_THOUSANDS:
            file, at = locate(where, "workforce", "groups", g, "average_salary")
            out.append(Problem(f"an average salary of £{group.average_salary:,g} a year looks like thousands of "
                               "pounds", file=file, line=at, path=f"workforce.groups[{group.name}].average_salary",
                               hint=f"salaries are in pounds a year: for £{group.average_salary:,g}k write "
                                    f"{group.average_salary * 1000:.0f}"))
    ni = scenario.workforce.employer_ni
    if 0 < ni.base_threshold < SALARY_IN_THOUSANDS:
        file, at = locate(where, "workforce", "employer_ni", "base_threshold")
        out.append(Problem(f"an NI threshold of £{ni.base_threshold:,g} a year looks like thousands of pounds",
                           file=file, line=at, path="workforce.employer_ni.base_threshold",
                           hint=f"the threshold is in pounds a year per employee: for £{ni.base_threshold:,g}k "
                                f"write {ni.base_threshold * 1000:.0f}"))
    for g, (group, share) in enumerate(zip(scenario.workforce.groups, carried_share(scenario))):
        if share == 0.0:
            file, at = locate(where, "workforce", "groups", g)
            out.append(Problem(f"no budget line carries the pay group '{group.name}', so its cost is in the workforce "
                               "table but not in the plan", file=file, line=at, path=f"workforce.groups[{group.name}]",
                               hint="give a line pay_from: {" + group.name + ": 100%} or remove the group"))
    return out
