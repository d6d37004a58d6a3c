"""The optional ``sensitivity:`` and ``monte_carlo:`` blocks of a scenario file.

Both name inputs by their path (``assumptions.pay``,
``expenditure[Adults].demand``...). Paths are checked against the scenario's parameters by
:mod:`mtfpmodel.analysis.paths`, which knows the file and line of each one, and the ends of
their ranges and distributions against what the scenario could hold there by
:mod:`mtfpmodel.analysis.holding`.

**What a number in these blocks means.** A value given for a path means what it would mean
written at that path in the scenario file as a single value: ``assumptions.pay:
{triangular: [2%, 3%, 5%]}`` draws *the pay award itself*, the same in every projection year
(a pay award of 2% to 5%, most likely 3%). For an amount series (a pressure, a fixed saving)
the value is the amount arising in every year. With ``apply: shift`` the draw is instead
*added* to the scenario's own values in every year (percentage points for a rate), which
keeps a year-by-year profile: ``expenditure[Adults].demand: {normal: {mean: 0%, sd: 1%},
apply: shift}``.

**Shocks over years.** ``shock: persistent`` (the default) draws once per simulation and uses
the value in every year (pay turns out high for the whole plan); ``shock: by_year`` draws
each year independently (prices bounce around).
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from mtfpmodel.scenario.errors import AnalysisError
from mtfpmodel.scenario.fields import Fraction, Model, Share
from mtfpmodel.scenario.limits import check_number, shown
from mtfpmodel.scenario.series import hundredth, parse_number

MAX_DRAWS = 5_000_000                 # draws at most, whatever the plan; also Sobol's projections at most
MAX_RESULTS_BYTES = 640 * 2**20       # the kept results of a simulation at most: the whole run stays under 1 GiB
KEPT_PER_YEAR = 7                     # floats kept for each draw and year: four results, with room to spare


def kept_bytes(years: int) -> int:
    """Bytes of results a Monte Carlo keeps for each draw of a plan of ``years`` projection years."""
    return 8 * (years + 1) * KEPT_PER_YEAR


def max_draws(years: int) -> int:
    """The most draws a simulation of a plan of ``years`` may take: its results within
    :data:`MAX_RESULTS_BYTES`, rounded down to 100,000 (2,300,000 for four years), at most
    :data:`MAX_DRAWS`."""
    fits = MAX_RESULTS_BYTES // kept_bytes(years)
    return min(MAX_DRAWS, max(fits // 100_000 * 100_000, 100_000))


def check_draws_fit(scenario, draws: int) -> int:
    """Raise AnalysisError if ``draws`` is more than :func:`max_draws` for the plan's years."""
    limit = max_draws(scenario.years)
    if draws > limit:
        need = draws * kept_bytes(scenario.years)
        size = f"{need / 2**30:,.1f} GiB" if need >= 2**30 else f"{need / 2**20:,.0f} MiB"
        raise AnalysisError(f"{draws:,} draws would need about {size} of memory for the results alone "
                            f"(at most {MAX_RESULTS_BYTES // 2**20:,} MiB); "
                            f"use at most {limit:,} for a plan of {scenario.years} years (10,000 to 100,000 is "
                            "plenty for P10/P90)")
    return draws


def parse_value(value: Any) -> float:
    """A number or a percentage string: '3%' → 0.03, 1500 → 1500.0 (rate size is checked per path)."""
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            number = float(value.strip()[:-1].strip())
        except ValueError:
            raise ValueError(f"{shown(value)} is not a number or a percentage") from None
        check_number(number, value)
        return hundredth(value.strip()[:-1])
    return parse_number(value)


Value = Annotated[float, BeforeValidator(parse_value), WithJsonSchema({
    "anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^\s*-?[0-9.]+\s*%\s*$"}],
    "description": "A number, or a percentage such as 3%."})]


def _ordered(values: list[float], names: tuple[str, ...]) -> list[float]:
    for (a, x), (b, y) in zip(zip(names, values), zip(names[1:], values[1:])):
        if x > y:
            raise ValueError(f"{a} {_show(x)} is above {b} {_show(y)} (write [{', '.join(names)}] in rising order)")
    return values


def _show(x: float) -> str:
    """A value as written: 0.05 → '5%', 1500 → '1500'."""
    return f"{x * 100:g}%" if abs(x) <= 1 else f"{x:g}"


class Normal(Model):
    mean: Value = Field(description="Mean of the distribution (a rate such as 3%, or an amount).")
    sd: Value = Field(description="Standard deviation, 0 or more (same unit as the mean).")

    @field_validator("sd")
    @classmethod
    def _sd(cls, value: float) -> float:
        if value < 0:
            raise ValueError(f"sd {_show(value)} is negative (a standard deviation must be 0 or more)")
        return value


class Distribution(Model):
    """One uncertain input: exactly one of normal, triangular, uniform, pert."""

    normal: Normal | None = Field(None, description="normal: {mean: 3%, sd: 0.5%}.")
    triangular: list[Value] | None = Field(None, description="triangular: [low, mode, high], e.g. [2%, 3%, 5%].")
    uniform: list[Value] | None = Field(None, description="uniform: [low, high].")
    pert: list[Value] | None = Field(None, description="pert: [low, mode, high] — like triangular but "
                                                       "weighted towards the mode (Beta-PERT).")
    shock: Literal["persistent", "by_year"] = Field(
        "persistent", description="persistent: one draw used in every year; by_year: each year drawn independently.")
    apply: Literal["value", "shift"] = Field(
        "value", description="value: the draw is the input itself in every year; shift: the draw is added "
                             "to the scenario's own value in every year (percentage points for a rate).")

    @field_validator("triangular", "pert")
    @classmethod
    def _three(cls, value: list[float] | None) -> list[float] | None:
        if value is not None:
            if len(value) != 3:
                raise ValueError(f"give three values [low, mode, high], not {len(value)}")
            _ordered(value, ("low", "mode", "high"))
        return value

    @field_validator("uniform")
    @classmethod
    def _two(cls, value: list[float] | None) -> list[float] | None:
        if value is not None:
            if len(value) != 2:
                raise ValueError(f"give two values [low, high], not {len(value)}")
            _ordered(value, ("low", "high"))
        return value

    @model_validator(mode="after")
    def _exactly_one(self) -> "Distribution":
        given = [name for name in ("normal", "triangular", "uniform", "pert") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of normal, triangular, uniform or pert"
                             + (f", not {' and '.join(given)}" if given else ""))
        return self

    @property
    def family(self) -> str:
        return next(n for n in ("normal", "triangular", "uniform", "pert") if getattr(self, n) is not None)

    @property
    def numbers(self) -> tuple[float, ...]:
        """The parameters as numbers: (mean, sd), (low, mode, high) or (low, high)."""
        if self.normal is not None:
            return (self.normal.mean, self.normal.sd)
        return tuple(getattr(self, self.family))


class Slippage(Model):
    """What a savings stream that slips delivers."""

    delivers: Share = Field(0.5, description="Share of its saving a slipped stream still delivers (default 50%).")
    delay_years: int = Field(0, ge=0, le=10, description="Years by which a slipped stream's delivery profile "
                                                           "(saving, phasing or volume) moves later (default 0).")


class SensitivityConfig(Model):
    """One-way sensitivity settings: the step and, for the tornado, a low/high range per path."""

    step: Fraction = Field(0.01, description="Change applied to every rate for the one-way table, in "
                                              "percentage points (default 1%).")
    ranges: dict[str, list[Value]] = Field(
        default_factory=dict, description="Low and high value per path for the tornado chart, e.g. "
                                          "'assumptions.pay': [2%, 5%]; each is the value in every year, and one "
                                          "the scenario could hold at that path.")

    @field_validator("step")
    @classmethod
    def _step(cls, value: float) -> float:
        if not 0 < value <= 0.5:
            raise ValueError(f"step {value:.2%} must be above 0% and at most 50%")
        return value

    @field_validator("ranges")
    @classmethod
    def _ranges(cls, value: dict[str, list[float]]) -> dict[str, list[float]]:
        for path, pair in value.items():
            if len(pair) != 2:
                raise ValueError(f"{path}: give [low, high], not {len(pair)} values")
            try:
                _ordered(pair, ("low", "high"))
            except ValueError as exc:
                raise ValueError(f"{path}: {exc}") from None
        return value


class MonteCarloConfig(Model):
    """Monte Carlo settings: draws, seed, a distribution per path, correlation, savings delivery, grant loss."""

    draws: int = Field(10_000, gt=0, le=MAX_DRAWS, description=f"Number of simulated plans (1 to {max_draws(4):,} "
                       "for a four-year plan; fewer for a longer one, so that the results fit in memory).")
    seed: int | None = Field(None, ge=0, description="Random seed, 0 or more: the same seed gives exactly the "
                                                     "same results.")
    distributions: dict[str, Distribution] = Field(
        default_factory=dict, description="Uncertain inputs by path, e.g. 'assumptions.pay': {triangular: [2%, 3%, 5%]}. "
                                          "Each end (a normal's mean, and its mean less and plus 3 sd) must be a "
                                          "value the scenario could hold at that path.")
    correlation: dict[str, dict[str, float]] = Field(
        default_factory=dict, description="Correlation between the draws of two paths (Gaussian copula), e.g. "
                                          "'assumptions.pay': {'assumptions.prices': 0.6}. Must form a "
                                          "positive semi-definite matrix.")
    savings_delivery: bool = Field(True, description="Draw each savings stream as delivered (probability = "
                                                     "its confidence) or slipped.")
    slippage: Slippage = Field(default_factory=Slippage, description="What a slipped stream delivers.")
    grant_loss: bool = Field(False, description="Draw each indicative or assumed grant as received (probability = "
                                                "its certainty share, grant_confidence) or lost: none in any "
                                                "projection year. A grant counted at 100% (confirmed, by default) is never lost.")

    @field_validator("correlation")
    @classmethod
    def _rho(cls, value: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        for a, row in value.items():
            for b, rho in row.items():
                if not -1 <= rho <= 1:
                    raise ValueError(f"{a} with {b}: correlation {rho:g} is outside -1 to 1")
                if a == b:
                    raise ValueError(f"{a}: a path's correlation with itself is always 1; remove it")
        return value
