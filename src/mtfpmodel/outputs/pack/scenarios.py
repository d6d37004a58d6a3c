"""The scenarios page: the plan and its variants (``--variants``) side by side, best to worst.

Every figure is read from each plan's own summary (:func:`mtfpmodel.results.comparison.summaries`,
money converted to the central plan's unit); the cases are named by
:func:`mtfpmodel.results.comparison.cases` from the final year's net gap.
"""
from __future__ import annotations

from mtfpmodel.outputs.pack.content import Bullets, Figure, Paragraph, Row, Section, Table
from mtfpmodel.outputs.pack.context import Context
from mtfpmodel.results import comparison
from mtfpmodel.scenario.units import figure

CASE_NAMES = {"best": "Best case", "central": "Central case", "worst": "Worst case", "variant": "Variant"}
ORDER = {"best": 0, "variant": 1, "central": 1, "worst": 2}


def plans(ctx: Context):
    """(results, names, cases) with the central plan first, then the variants as given."""
    results = [ctx.nominal, *ctx.cabinet.variants]
    paths = [r.loaded.path if r.loaded else r.scenario.scenario for r in results]
    names = comparison.names(results, paths)
    finals = [float(r.results.net_gap[0, -1]) * comparison.factor(r, ctx.unit) for r in results]
    return results, names, comparison.cases(finals)


def frame(ctx: Context):
    """scenarios.csv's rows: each plan's summary in the central plan's unit, with its case."""
    results, names, cases = plans(ctx)
    return comparison.summaries(results, names, cases, ctx.unit)


def section(ctx: Context) -> Section | None:
    if ctx.cabinet is None or not ctx.cabinet.variants:
        return None
    results, names, cases = plans(ctx)
    order = sorted(range(len(results)), key=lambda i: (ORDER[cases[i]], i))
    table = frame(ctx)
    last = ctx.years[-1]
    decimals = 1 if ctx.unit == "£m" else 0

    def value(i: int, column: str, year: str = last) -> float:
        rows = table[(table["scenario"] == names[i]) & (table["year"] == year)]
        return float(rows[column].iloc[0])

    def total(i: int, column: str) -> float:
        return float(table.loc[table["scenario"] == names[i], column].sum())

    measures = [(f"Net gap {y}", lambda i, y=y: value(i, "net_gap", y), "total" if y == last else "")
                for y in ctx.years]
    measures += [(f"Gross gap before savings {last}", lambda i: value(i, "gross_gap"), ""),
                 (f"Savings {last}", lambda i: value(i, "savings"), ""),
                 (f"Risk-adjusted net gap {last}", lambda i: value(i, "risk_adjusted_net_gap"), ""),
                 ("Reserves drawn over the plan", lambda i: total(i, "reserves_drawn"), ""),
                 (f"Closing reserves {last}", lambda i: value(i, "closing_reserves"), ""),
                 (f"Minimum reserves {last}", lambda i: value(i, "minimum_reserves"), "")]
    rows = [Row.of(name, [figure(get(i), decimals) for i in order], kind) for name, get, kind in measures]
    rows.append(Row.of("Balances in every year", ["yes" if results[i].balances else "no" for i in order]))
    header = (f"({ctx.cash_label})", *(f"{CASE_NAMES[cases[i]]}: {names[i]}" for i in order))
    about = Bullets(tuple(f"{CASE_NAMES[cases[i]]} — {names[i]}: {results[i].scenario.description or 'no description'}"
                          for i in order), id="scenario-descriptions")
    intro = Paragraph(f"The plan (the central case) and its variants, each run in full: of the variants, the one "
                      f"with the lowest {last} net gap below the plan's is the best case, the one with the highest "
                      f"above it the worst case.")
    blocks = [intro, about, Table("scenarios-table", header, tuple(rows), label_width=34)]
    png = ctx.charts.get("scenarios")
    if png is not None:
        blocks.append(Figure(png, "Net gap and closing reserves of each scenario by year.",
                             "Chart: net gap and reserves of each scenario"))
    return Section("scenarios", "Scenarios", tuple(blocks), new_page=True)
