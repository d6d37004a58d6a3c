"""What the sensitivity, solve and montecarlo commands share: loading, checking, output folder."""
from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from mtfpmodel.analysis.holding import check_scenario
from mtfpmodel.commands.run import safe_name
from mtfpmodel.engine.parameters import Parameter, check_paths, collect
from mtfpmodel.results.result import labels_of
from mtfpmodel.scenario.errors import UsageError
from mtfpmodel.scenario.limits import clip
from mtfpmodel.scenario.loader import Loaded, load
from mtfpmodel.scenario.riskconfig import parse_value
from mtfpmodel.scenario.schema import Scenario


@dataclass(frozen=True)
class Prepared:
    loaded: Loaded
    params: dict[str, Parameter]
    labels: tuple[str, ...]          # base year first
    out: Path

    @property
    def scenario(self) -> Scenario:
        return self.loaded.scenario

    @property
    def unit(self) -> str:
        return self.loaded.scenario.units


def add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", help="scenario YAML file")
    parser.add_argument("--out", metavar="DIR", help="output folder (default outputs/<scenario name>/)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                        help="override one value before the analysis, e.g. assumptions.pay=3.5%%; repeatable")


def prepare(args: argparse.Namespace) -> Prepared:
    """Load the scenario, collect its paths and check its sensitivity/monte_carlo blocks."""
    loaded = load(args.scenario, args.overrides)
    params = collect(loaded.scenario)
    check_scenario(loaded, params)
    out = Path(args.out) if args.out else Path("outputs") / safe_name(loaded.scenario.scenario)
    return Prepared(loaded, params, labels_of(loaded.scenario), out)


def check_set_values_used(loaded: Loaded, params: dict[str, Parameter]) -> None:
    """Refuse a ``--set`` value the Monte Carlo would replace in every draw: an input drawn with
    ``apply: value`` (the default) is the draw itself, whatever was set, so the simulation would
    print "with --set ..." over the figures of the plan without it."""
    from mtfpmodel.analysis.paths import value_text
    from mtfpmodel.scenario.overrides import set_paths

    config = loaded.scenario.monte_carlo
    if config is None:
        return
    for path, text in set_paths(loaded.overrides):
        for drawn, dist in config.distributions.items():
            if dist.apply == "value" and (path == drawn or drawn.startswith((path + ".", path + "["))):
                numbers = [value_text(x, params[drawn], loaded.scenario) for x in dist.numbers]
                shown = (f"normal {{mean: {numbers[0]}, sd: {numbers[1]}}}" if dist.family == "normal"
                         else f"{dist.family} [{', '.join(numbers)}]")
                raise UsageError(f"--set {clip(text, 120)}: the monte_carlo block draws {drawn} afresh in every "
                                 f"simulated plan ({shown}), so the value set here would not be used; drop the "
                                 "--set, or give the distribution 'apply: shift' (each draw is then added to the "
                                 "value set)")


def check_path(prepared: Prepared, path: str) -> str:
    check_paths(prepared.params, [path])
    return path


def value_arg(text: str, what: str) -> float:
    """A number or percentage from the command line, or a UsageError naming the option."""
    try:
        return parse_value(text)
    except ValueError as exc:
        try:
            float(text.strip().removesuffix("%"))
        except ValueError:
            raise UsageError(f"{what}: {text!r} is not a number or a percentage such as 1%") from None
        raise UsageError(f"{what}: {exc}") from None        # a number, but not finite or beyond ±1e15
