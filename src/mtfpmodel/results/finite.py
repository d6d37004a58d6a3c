"""Name a non-finite figure found by :func:`mtfpmodel.engine.finite.check_finite` the way the
output files and ``mtfp explain`` name it: ``lines[Adult social care].cost[2027/28]``."""
from __future__ import annotations

from mtfpmodel.engine.finite import NonFiniteFigure
from mtfpmodel.engine.inputs import Inputs
from mtfpmodel.engine.parameters import funding_sources
from mtfpmodel.engine.projection import Results, project
from mtfpmodel.scenario.schema import Scenario
from mtfpmodel.scenario.series import year_labels

_ITEMS = {"line_cost": ("lines", "cost"), "pressure_level": ("pressures", "level"),
          "source_amount": ("funding", "amount"), "stream_gross": ("savings", "gross_saving"),
          "stream_financing": ("savings", "financing_cost"),
          "stream_implementation": ("savings", "implementation_cost"), "stream_net": ("savings", "net_saving")}
_COUNCIL_TAX = {"tax_base": "tax_base", "band_d": "band_d", "council_tax": "amount"}


def project_named(scenario: Scenario, inputs: Inputs) -> Results:
    """:func:`~mtfpmodel.engine.projection.project` ``inputs`` (built from ``scenario``); a
    non-finite figure is raised :func:`named` as the output files name it."""
    try:
        return project(inputs)
    except NonFiniteFigure as exc:
        raise named(exc, scenario) from None


def named(error: NonFiniteFigure, scenario: Scenario) -> NonFiniteFigure:
    """The same error, its figure named by item and financial year (and draw, when there are several)."""
    labels = (scenario.base_year,) + year_labels(scenario.base_year, scenario.years)
    index = error.index
    year = labels[index[-1]] if len(index) >= 2 and index[-1] < len(labels) else None
    items = _item_names(scenario).get(error.field)
    if error.field in _ITEMS and items is not None and len(index) == 3 and index[1] < len(items):
        group, column = _ITEMS[error.field]
        text = f"{group}[{items[index[1]]}].{column}"
    elif error.field in _COUNCIL_TAX:
        text = f"funding[council_tax].{_COUNCIL_TAX[error.field]}"
    elif len(index) == 2:
        text = f"summary.{error.field}"
    else:
        return error
    text += f"[{year}]" if year else ""
    if index[0] > 0:
        text += f" (draw {index[0] + 1:,})"
    return NonFiniteFigure(error.field, index, error.value, text, error.why)


def _item_names(scenario: Scenario) -> dict[str, list[str]]:
    streams = [s.name for s in scenario.savings]
    sources = [prefix.removeprefix("funding.").removeprefix("grants[").rstrip("]")
               for prefix, _ in funding_sources(scenario)]
    return {"line_cost": [line.name for line in scenario.expenditure],
            "pressure_level": [p.name for p in scenario.pressures], "source_amount": sources,
            "stream_gross": streams, "stream_financing": streams, "stream_implementation": streams,
            "stream_net": streams}
