"""The cabinet report ``DIR/report.html``: one self-contained page that prints to A4.

Rendered from ``templates/report.html.j2`` with jinja2 (autoescaped). Charts are embedded as
base64 PNG, CSS is inline, and nothing is fetched from the network, so the file can be e-mailed
or attached to a committee paper as it is. Figures are in the scenario unit, rounded only here.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mtfpmodel.engine import parameters
from mtfpmodel.outputs.outdir import Staging
from mtfpmodel.outputs.terminal import ROWS, cabinet_money, verdict
from mtfpmodel.results.gaptable import SUBTOTALS
from mtfpmodel.results.gaptable import gap_table as build_gap_table
from mtfpmodel.results.result import Result
from mtfpmodel.scenario.units import figure, percent
from mtfpmodel.version import __version__

FILENAME = "report.html"
CHART_CAPTIONS = {
    "gap": "The gap each year before savings, the savings, and the net gap left after them.",
    "bridge": ("What moves the gap from the base-year budget to the final year. Inflation is shown per "
               "assumption with demand held flat; demand is the rest of the growth in cost."),
    "savings": "Net saving of each stream by year, coloured and hatched by delivery confidence (RAG).",
    "reserves": "Usable reserves at the end of each year against the minimum level.",
}
STATUS_CLASS = {"balanced": "ok", "balanced with reserves": "warn", "below minimum reserves": "bad",
                "unbalanced": "bad", "reserves exhausted": "bad"}


@dataclass(frozen=True)
class Table:
    """A table ready to print: a header row and body rows of (label, cells, css class)."""

    header: list[str]
    rows: list[tuple[str, list[str], str]]


def write_report(result: Result, staging: Staging, charts: str | None = "charts") -> list[str]:
    """Render the report into the staging area, embedding the PNGs in ``charts`` if drawn."""
    images = {}
    if charts is not None:
        for name in CHART_CAPTIONS:
            png = staging.path(f"{charts}/{name}.png")
            if png.exists():
                images[name] = _data_uri(png)
    staging.path(FILENAME).write_text(render(result, images), encoding="utf-8")
    return [FILENAME]


def _data_uri(png: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(png.read_bytes()).decode("ascii")


def render(result: Result, images: dict[str, str]) -> str:
    """The report's HTML."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("mtfpmodel.outputs", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("report.html.j2").render(**context(result, images))


def context(result: Result, images: dict[str, str]) -> dict:
    s = result.scenario
    unit = result.units
    summary = result.summary
    return {
        "title": s.council or s.scenario, "scenario": s, "unit": unit, "version": __version__,
        "period": f"{result.labels[1]} to {result.labels[-1]}", "verdict": verdict(result),
        "balances": result.balances,
        "overrides": list(result.loaded.overrides) if result.loaded else [],
        "source_file": str(result.loaded.path) if result.loaded else None,
        "headlines": headlines(result),
        "mtfp": mtfp_table(result), "gap_table": gap_table(result), "savings": savings_table(result),
        "reserves": reserves_table(result), "assumptions": assumptions_rows(result),
        "warnings": [str(w) for w in result.warnings],
        "charts": {name: {"src": src, "caption": CHART_CAPTIONS[name]} for name, src in images.items()},
        "statuses": [(y, st, STATUS_CLASS[st]) for y, st in zip(summary["year"], summary["status"])],
    }


def _cells(values, unit: str) -> list[str]:
    return [figure(v, 1 if unit == "£m" else 0) for v in values]


def headlines(result: Result) -> list[tuple[str, str]]:
    """Four key figures for the top of the page."""
    summary, unit = result.summary, result.units
    last = summary.iloc[-1]
    return [
        (f"Net gap {last['year']}", cabinet_money(float(last["net_gap"]), unit)),
        (f"Savings planned by {last['year']}", cabinet_money(float(last["savings"]), unit)),
        ("Reserves drawn over the plan", cabinet_money(float(summary["reserves_drawn"].sum()), unit)),
        (f"Reserves at end of {last['year']}", cabinet_money(float(last["closing_reserves"]), unit)),
    ]


def mtfp_table(result: Result) -> Table:
    summary, unit = result.summary, result.units
    rows = [(label.strip(), _cells(summary[key], unit),
             "total" if key in ("gross_gap", "net_gap", "closing_reserves") else "sub" if label.startswith(" ") else "")
            for label, key in ROWS]
    return Table([f"({unit})", *summary["year"]], rows)


def gap_table(result: Result) -> Table:
    """The council-shaped gap table of :mod:`mtfpmodel.results.gaptable`."""
    table = build_gap_table(result)
    years = list(result.labels[1:])
    rows = [(row["item"], _cells([row[y] for y in years], result.units), "total" if row["key"] in SUBTOTALS else "")
            for _, row in table.iterrows()]
    return Table([f"({result.units})", *years], rows)


def savings_table(result: Result) -> dict:
    """Each stream's net saving by year with its RAG rating and confidence; a total row."""
    from mtfpmodel.outputs.charts import rag_of

    r, unit, s = result.results, result.units, result.scenario
    years = list(result.labels[1:])
    appraisal = result.streams.set_index("stream")
    rows = []
    for n, stream in enumerate(s.savings):
        rows.append({"name": stream.name, "kind": stream.kind.replace("_", " "), "rag": rag_of(result, stream) or "none",
                     "confidence": percent(s.confidence(stream), 0), "funded_by": stream.funded_by,
                     "cells": _cells(r.stream_net[0, n, 1:], unit), "source": stream.source or "",
                     "appraisal": _appraisal_note(appraisal.loc[stream.name], unit, s.discount_rate)})
    total = _cells(r.savings[0, 1:], unit)
    risk = _cells((r.stream_net[0, :, 1:] * [[s.confidence(x)] for x in s.savings]).sum(axis=0) if s.savings
                  else r.savings[0, 1:], unit)
    return {"header": years, "rows": rows, "total": total, "risk": risk}


def _appraisal_note(row, unit: str, discount_rate: float) -> str:
    """'capital £6.0m; savings cover it by 2031/32; NPV £9.9m at 3.5%' for invest-to-save streams."""
    if not row["capital"]:
        return ""
    return (f"capital {cabinet_money(row['capital'], unit)}; savings cover it by {row['capital_payback_year']}; "
            f"NPV {cabinet_money(row['npv'], unit)} at {percent(discount_rate, 1)}")


def reserves_table(result: Result) -> Table:
    r, unit = result.results, result.units
    flows = [("Reserves drawn to balance", r.reserves_drawn[0]),
             ("Implementation costs met from reserves", r.reserve_funded_costs[0])]
    body = [(label, ["–", *_cells(values[1:], unit)], "") for label, values in flows]   # no flow in the base year
    body += [("Closing reserves", _cells(r.closing_reserves[0], unit), "total"),
             ("Minimum reserves", _cells(r.minimum_reserves[0], unit), "")]
    return Table([f"({unit})", f"{result.labels[0]} (opening)", *result.labels[1:]], body)


def assumptions_rows(result: Result) -> dict:
    s = result.scenario
    params = parameters.collect(s)
    rows = [(name, [percent(v, 1) for v in params[f"assumptions.{name}"].value], a.source or "no source given")
            for name, a in s.assumptions.items()]
    volume = result.results.line_volume[0]          # demand index, or the units of a volume-driven line
    growth = np.divide(volume[:, 1:], volume[:, :-1], out=np.full(volume[:, 1:].shape, np.nan),
                       where=volume[:, :-1] != 0) - 1.0
    demand = [(line.name, [percent(v, 1) if np.isfinite(v) else "–" for v in growth[i]], line.source or "")
              for i, line in enumerate(s.expenditure)]
    return {"header": list(result.labels[1:]), "rows": rows, "demand": demand}
