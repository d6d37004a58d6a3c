"""Whether the values an analysis gives an input are ones the scenario could hold.

A tornado range, a Monte Carlo distribution, a two-way grid or a goal seek sets inputs to
values the officer never wrote at that path. Each is checked the way ``--set`` is: put into
the file's data as ``--set`` would put it, and the whole scenario validated again, so a
vacancy of 150%, a negative number of posts or a Band D below £0 is refused with the rule it
breaks instead of being projected. Paths that are not one value of the file (a stream's
confidence given as a RAG word, a figure derived from several) are not checked here; a grant's
certainty share (the file gives a word) is checked to be a share, 0% to 100%.

:func:`check_scenario` is the whole check of a scenario's ``sensitivity:`` and ``monte_carlo:``
blocks that ``validate``, ``run`` and every analysis make: the paths they name, then the ends of
their ranges and distributions.
"""
from __future__ import annotations

import copy
import re
from typing import Mapping, NamedTuple

import numpy as np

from mtfpmodel.analysis.paths import check_monte_carlo, check_sensitivity, in_percent
from mtfpmodel.engine.parameters import Parameter, collect
from mtfpmodel.results.result import run
from mtfpmodel.scenario.errors import AnalysisError, Problem, ScenarioError
from mtfpmodel.scenario.loader import Loaded, validate
from mtfpmodel.scenario.overrides import parse_path, set_path
from mtfpmodel.scenario.riskconfig import check_draws_fit
from mtfpmodel.scenario.units import percent
from mtfpmodel.scenario.yamlfile import Where, locate


def refusals(loaded: Loaded, params: Mapping[str, Parameter],
             values: Mapping[str, float | np.ndarray]) -> dict[str, Problem]:
    """The paths of ``values`` (path → a number, or T numbers for a series) that the scenario
    could not hold, each with the first problem validating the file with it finds.

    All of them are tried together first, one validation; only when that fails is each tried
    on its own, to say which (a value refused only beside another is not refused)."""
    if not values or _problems(loaded, params, values) is None:
        return {}
    found = {}
    for path, value in values.items():
        problems = _problems(loaded, params, {path: value})
        if problems:
            found[path] = problems[0]
    return found


def rule(problem: Problem) -> str:
    """The rule a refused value breaks, as a clause: 'it is outside 0% to 100% (hint)'."""
    return f"{problem.message} ({problem.hint})" if problem.hint else problem.message


def _problems(loaded: Loaded, params: Mapping[str, Parameter],
              values: Mapping[str, float | np.ndarray]) -> list[Problem] | None:
    data = copy.deepcopy(loaded.data)
    scratch = Where(loaded.where.file, 0)      # set_path marks what it sets; the file's own marks stay as they are
    shares = {path: value for path, value in values.items() if SHARE_ONLY.match(path)}
    refused = [problem for path, value in shares.items() for problem in _share_problems(path, value)]
    if refused:
        return refused
    for path, value in values.items():
        if path in shares:                     # checked above: the file holds a word there
            continue
        try:
            set_path(data, scratch, parse_path(path), _written(path, params[path], value, loaded))
        except KeyError:                       # not one value of the file: nothing to check
            continue
    try:
        validate(data, scratch, loaded.path)
    except ScenarioError as exc:
        return exc.problems
    return None


SHARE_ONLY = re.compile(r"^funding\.grants\[.*\]\.certainty$")
"""Paths whose number the file does not hold: a grant's certainty share, which the file gives as a word
(confirmed, indicative, assumed) that ``grant_confidence`` turns into a share. A number for it is held
when it is a share."""


def _share_problems(path: str, value) -> list[Problem]:
    """The problem with ``value`` (a number, or one a year) as the share at ``path``: outside 0% to 100%."""
    outside = [float(v) for v in np.atleast_1d(value) if not 0.0 <= float(v) <= 1.0]
    if not outside:
        return []
    return [Problem(f"a certainty share of {percent(outside[0])} is outside 0% to 100%", path=path,
                    hint="a grant's certainty share is the part of it counted as sure in the risk-adjusted gap")]


def _written(path: str, param: Parameter, value, loaded: Loaded):
    """``value`` as a person would write it at ``path``: '150.0%' for a rate or share, else the number."""
    percent = in_percent(path, param, loaded.scenario)
    written = [f"{float(v) * 100!r}%" if percent else float(v) for v in np.atleast_1d(value)]
    return written if param.is_series else written[0]


def check_scenario(loaded: Loaded, params: Mapping[str, Parameter]) -> None:
    """Check whichever of the ``sensitivity:`` and ``monte_carlo:`` blocks the scenario has: the
    paths they name (:mod:`mtfpmodel.analysis.paths`), then the ends of their ranges and distributions."""
    scenario, where = loaded.scenario, loaded.where
    if scenario.sensitivity is not None:
        check_sensitivity(scenario.sensitivity, params, where)
    if scenario.monte_carlo is not None:
        check_monte_carlo(scenario.monte_carlo, params, where)
        try:
            check_draws_fit(scenario, scenario.monte_carlo.draws)
        except AnalysisError as exc:        # the file's own draws: an error in the file, at its line
            file, line = locate(where, "monte_carlo", "draws")
            raise ScenarioError([Problem(str(exc), file=file, line=line, path="monte_carlo.draws",
                                         hint="lower monte_carlo.draws")]) from None
    _check_ends_hold(loaded, params)


def checked_run(loaded: Loaded):
    """The whole check ``validate`` makes of a loaded scenario, which ``run`` and ``import`` make
    too (what validates, runs): its ``sensitivity:`` and ``monte_carlo:`` blocks
    (:func:`check_scenario`), then the projection itself, whose cost-driver checks (a line's
    carved-out parts over its base budget) and finiteness need the figures. Returns the run."""
    check_scenario(loaded, collect(loaded.scenario))
    return run(loaded)


def _check_ends_hold(loaded: Loaded, params: Mapping[str, Parameter]) -> None:
    """Raise ScenarioError for a tornado range (``sensitivity.ranges``) or a Monte Carlo
    distribution whose low or high end the scenario could not hold (a normal distribution:
    its mean less and plus :data:`NORMAL_REACH` standard deviations, between which 99.7% of its
    draws fall), each located at its line. The paths are known to exist (:func:`check_scenario`
    checks them first)."""
    scenario = loaded.scenario
    problems: list[Problem] = []
    if scenario.sensitivity is not None:
        ends = {path: Ends("value", (End(pair[0], "range's low end"), End(pair[1], "range's high end")))
                for path, pair in scenario.sensitivity.ranges.items()}
        problems += _check_ends(loaded, params, ends, ("sensitivity", "ranges"))
    if scenario.monte_carlo is not None:
        ends = {path: Ends(dist.apply, _ends_of(dist)) for path, dist in scenario.monte_carlo.distributions.items()}
        problems += _check_ends(loaded, params, ends, ("monte_carlo", "distributions"))
    if problems:
        raise ScenarioError(sorted(problems, key=lambda p: (p.line or 0, p.path)))


class End(NamedTuple):
    """One value a range or distribution gives an input, what it is called, and the hint should it be refused
    (None: the rule's own, or a general one)."""

    value: float
    name: str                    # "range's low end"
    hint: str | None = None


class Ends(NamedTuple):
    """The values to check of a range or distribution, in the order they are checked (one problem an input:
    the first refused)."""

    apply: str                   # 'value' (the input itself) or 'shift' (added to the plan's own values)
    ends: tuple[End, ...]


NORMAL_REACH = 3                 # a normal distribution is checked at its mean -/+ 3 sd: 99.7% of its draws
NORMAL_HINT = ("3 draws in 1,000 of a normal distribution fall more than 3 standard deviations from its mean: "
               "use a smaller sd, or a distribution with ends of its own (triangular, pert or uniform)")


def _ends_of(dist) -> tuple[End, ...]:
    """A distribution's ends: its low and high ends; a normal's mean, then its mean less and plus
    :data:`NORMAL_REACH` standard deviations."""
    numbers = dist.numbers
    if dist.family != "normal":
        return End(numbers[0], "distribution's low end"), End(numbers[-1], "distribution's high end")
    mean, sd = numbers
    reach = NORMAL_REACH * sd
    return (End(mean, "distribution's mean"),
            End(mean - reach, f"distribution's mean less {NORMAL_REACH} sd", NORMAL_HINT),
            End(mean + reach, f"distribution's mean plus {NORMAL_REACH} sd", NORMAL_HINT))


def _check_ends(loaded: Loaded, params: Mapping[str, Parameter], ends: dict[str, Ends],
                block: tuple[str, str]) -> list[Problem]:
    problems, refused = [], set()
    for index in range(max((len(end.ends) for end in ends.values()), default=0)):
        checked = {path: end.ends[index] for path, end in ends.items() if path not in refused and index < len(end.ends)}
        values = {path: at(params[path], checked[path].value, ends[path].apply) for path in checked}
        for path, problem in refusals(loaded, params, values).items():
            refused.add(path)
            file, line = locate(loaded.where, *block, path)
            problems.append(Problem(f"the {checked[path].name} is a value the scenario cannot hold here: "
                                    f"{problem.message}", file=file, line=line, path=".".join((*block, path)),
                                    hint=checked[path].hint or problem.hint
                                    or "keep it within the values this input can take"))
    return problems


def at(param: Parameter, value: float, apply: str = "value") -> float | np.ndarray:
    """The input ``param`` set to ``value`` in every year (``apply: shift``: its own values plus ``value``)."""
    if apply == "shift":
        return param.value + value
    return np.full(param.value.shape, float(value)) if param.is_series else float(value)
