"""No figure of the plan may be nan or infinite: every projection is checked as it is returned.

Inputs are finite (the loader refuses anything else), but arithmetic on extreme inputs can
still overflow — a growth rate of 10⁶% a year compounds past the largest float within a few
years. Such a plan has no meaningful figures, so no output may show them: :func:`check_finite`
raises :class:`NonFiniteFigure` naming the first figure that is not finite, upstream first (a
line's cost before the net gap it feeds), and :mod:`mtfpmodel.results.finite` names it the way
the output files do.
"""
from __future__ import annotations

from dataclasses import fields

import numpy as np

from mtfpmodel.scenario.errors import AnalysisError

# Checked first, in this order; every other float array of the results follows in field order.
UPSTREAM = ("line_cost", "pressure_level", "tax_base", "band_d", "council_tax", "source_amount",
            "stream_gross", "stream_financing", "stream_implementation", "stream_net")


TOO_LARGE = "an input is far too large (look for an extreme growth rate, demand or amount feeding it)"
NO_BUDGET = ("net expenditure is 0 that year, so reserves cannot be a share of it (give the budget lines "
             "their base budgets)")


class NonFiniteFigure(AnalysisError):
    """A figure of the projection is nan or ±inf: ``field`` of the results at ``index`` (draw first),
    ``why`` being the likely cause."""

    def __init__(self, field: str, index: tuple[int, ...], value: float, named: str | None = None,
                 why: str = TOO_LARGE):
        self.field, self.index, self.value, self.named, self.why = field, index, value, named, why
        shown = named or f"{field}{list(index)}"
        super().__init__(f"the projection gives {shown} = {value}, which is not a finite number; {why}")

    def __reduce__(self):       # pickled whole: a Monte Carlo chunk may be projected in another process
        return type(self), (self.field, self.index, self.value, self.named, self.why)


# Blank (nan) by design where a figure does not apply: the unit cost of a line with a base budget.
BLANK_WHERE_NOT_APPLICABLE = ("line_unit_cost",)


def check_finite(results, prefix: str = "") -> None:
    """Raise NonFiniteFigure at the first non-finite figure of ``results`` (an engine Results, with
    the dataclasses of arrays inside it such as each reserve's flows).

    Each array is summed first (one pass, no temporary): a nan or infinity among the figures makes
    their sum nan or infinite, so only when a sum is not finite are the figures searched one by one,
    upstream first. (Finite figures whose sum overflows start the search too, which finds nothing.)
    A blank-by-design array is checked for infinities only.
    """
    arrays = list(_float_arrays(results, prefix))
    with np.errstate(over="ignore", invalid="ignore"):      # an overflowing sum is an answer here
        if all(_sum_is_finite(field, array) for _, field, array in arrays):
            return
    for name, field, array in arrays:
        bad = np.isinf(array) if field in BLANK_WHERE_NOT_APPLICABLE else ~np.isfinite(array)
        if bad.any():
            index = tuple(int(i) for i in np.argwhere(bad)[0])
            no_budget = (field == "usable_reserves_pct"
                         and np.broadcast_to(results.net_expenditure, array.shape)[index] == 0)
            raise NonFiniteFigure(name, index, float(array[index]), why=NO_BUDGET if no_budget else TOO_LARGE)


def _float_arrays(results, prefix: str):
    """(name, field, array) of every float array of ``results``, upstream first, the arrays of a
    dataclass inside it in its place (named ``field.inner``)."""
    names = [f.name for f in fields(results)]
    for name in [n for n in UPSTREAM if n in names] + [n for n in names if n not in UPSTREAM]:
        array = getattr(results, name)
        if hasattr(array, "__dataclass_fields__"):
            yield from _float_arrays(array, f"{prefix}{name}.")
        elif isinstance(array, np.ndarray) and array.dtype.kind == "f":
            yield prefix + name, name, array


def _sum_is_finite(field: str, array: np.ndarray) -> bool:
    if field in BLANK_WHERE_NOT_APPLICABLE:
        return not np.isinf(array).any()
    return bool(np.isfinite(np.add.reduce(array, axis=None)))
