"""The Summary sheet's rows: live Excel formulas over the detail sheets, and the reserves' figures.

Each row carries its name in column B (the summary.csv column where it is one); the equations
are those of the plan (docs/reference.md), listed in :mod:`mtfpmodel.outputs.workbook`. The
reserves follow the year's steps of each named reserve (each balance depends on the last), so
their rows — contributions, planned and unplanned use, unfunded gap, closing and minimum
reserves, status — hold the engine's figures as values; the rows built from them (savings still
to find, reserves drawn, usable reserves as a share of net expenditure) are formulas again.
"""
from __future__ import annotations

from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from mtfpmodel.engine.projection import STATUSES
from mtfpmodel.outputs.workbookstyle import (
    FIRST_YEAR_COLUMN,
    PERCENT,
    SAVINGS_FIRST_YEAR_COLUMN,
    col,
    style_row,
)
from mtfpmodel.results.result import Result

ROWS = (
    ("Net expenditure", "net_expenditure"),
    ("Funding", "funding"),
    ("Gross gap (before savings)", "gross_gap"),
    ("Savings", "savings"),
    ("One-off costs (revenue-funded)", "one_off_costs"),
    ("Net gap", "net_gap"),
    ("  in-year change", "incremental_gap"),
    ("Grants counted at risk (1 - certainty share)", "grants_at_risk"),
    ("Risk-adjusted net gap", "risk_adjusted_net_gap"),
    ("Contributions to reserves (in net expenditure)", "reserve_contributions"),
    ("Planned use of reserves", "planned_reserves_use"),
    ("Savings still to find", "savings_still_to_find"),
    ("Unplanned use of reserves", "unplanned_reserves_use"),
    ("Unfunded gap", "unfunded_gap"),
    ("Reserves drawn", "reserves_drawn"),
    ("Implementation costs met from reserves", "reserve_funded_costs"),
    ("Closing reserves", "closing_reserves"),
    ("Minimum reserves", "minimum_reserves"),
    ("Usable reserves, % of net expenditure", "usable_reserves_pct"),
    ("Status", "status"),
)
VALUES = ("grants_at_risk", "reserve_contributions", "planned_reserves_use", "unplanned_reserves_use",
          "unfunded_gap", "closing_reserves", "minimum_reserves", "status")   # figures, not formulas
TOTALS = ("gross_gap", "net_gap", "closing_reserves")
FIRST_ROW = 3


def summary_rows(ws: Worksheet, result: Result, refs: dict) -> None:
    """Write the ROWS for every year t = 0..T: formulas, and the reserves' figures as values."""

    row_of = {key: FIRST_ROW + i for i, (_, key) in enumerate(ROWS)}
    saving = refs["savings"]
    n1, n2, net_total = saving["net_saving"]
    i1, i2, _ = saving["implementation_cost"]
    has_streams = n2 >= n1
    R = row_of
    years = len(result.labels)
    values = _values(result)
    for t in range(years):
        c, p = col(t), col(t - 1) if t else None
        s = col(t, SAVINGS_FIRST_YEAR_COLUMN)

        def funded(by: str) -> str:
            return (f'=SUMIF(Savings!$D${i1}:$D${i2},"{by}",Savings!{s}{i1}:{s}{i2})' if has_streams else "=0")

        formulas = {
            "net_expenditure": f"=Lines!{c}{refs['lines']}+Pressures!{c}{refs['pressures']}"
                               f"+{c}{R['reserve_contributions']}",
            "funding": f"=Funding!{c}{refs['funding']}",
            "gross_gap": f"={c}{R['net_expenditure']}-{c}{R['funding']}",
            "savings": f"=Savings!{s}{net_total}",
            "one_off_costs": funded("revenue"),
            "net_gap": f"={c}{R['gross_gap']}-{c}{R['savings']}+{c}{R['one_off_costs']}",
            "incremental_gap": f"={c}{R['net_gap']}-{p}{R['net_gap']}" if t else "=0",
            "risk_adjusted_net_gap": f"={c}{R['gross_gap']}" + (
                f"-SUMPRODUCT(Savings!$C${n1}:$C${n2},Savings!{s}{n1}:{s}{n2})" if has_streams else "")
                + f"+{c}{R['one_off_costs']}+{c}{R['grants_at_risk']}",
            "savings_still_to_find": f"={c}{R['net_gap']}-{c}{R['planned_reserves_use']}",
            "reserves_drawn": f"={c}{R['planned_reserves_use']}+{c}{R['unplanned_reserves_use']}",
            "reserve_funded_costs": funded("reserves"),
            "usable_reserves_pct": f"={c}{R['closing_reserves']}/{c}{R['net_expenditure']}",
        }
        for key, formula in formulas.items():
            ws.cell(R[key], FIRST_YEAR_COLUMN + t, formula)
        for key in VALUES:
            value = values[key][t]
            if value is not None:
                ws.cell(R[key], FIRST_YEAR_COLUMN + t, value)
    for label, key in ROWS:
        ws.cell(R[key], 1, label)
        ws.cell(R[key], 2, key)
        style_row(ws, R[key], years, result.units, total=key in TOTALS,
                  number_format=PERCENT if key == "usable_reserves_pct" else None)
    for t in range(years):
        ws.cell(R["status"], FIRST_YEAR_COLUMN + t).alignment = Alignment(horizontal="right", wrap_text=True)
    ws.row_dimensions[R["status"]].height = 30


def _values(result: Result) -> dict[str, list]:
    """The reserves' figures by year t = 0..T (draw 0); no status in the base year."""
    r = result.results
    from mtfpmodel.engine.inputs import build_inputs
    from mtfpmodel.engine.projection import uncertain_grants

    inputs = build_inputs(result.scenario)
    out: dict[str, list] = {"grants_at_risk": [float(v) for v in uncertain_grants(inputs, r.source_amount[:1])[0]]}
    for key in VALUES[1:-1]:
        out[key] = [float(v) for v in getattr(r, key)[0]]
    out["status"] = [None] + [STATUSES[s] for s in r.status[0, 1:]]
    return out
