"""The Summary sheet's rows as live Excel formulas over the detail sheets.

Each row carries the spec's name in column B (the summary.csv column); the equations are those
of the plan (docs/reference.md), listed in :mod:`mtfpmodel.outputs.workbook`. The reserves
settings the formulas use (opening balance, minimum, whether reserves balance the budget) are
input cells below the table, so an officer can change them and watch the plan respond.
"""
from __future__ import annotations

from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from mtfpmodel.outputs.workbookstyle import (
    FIRST_YEAR_COLUMN,
    PERCENT,
    SAVINGS_FIRST_YEAR_COLUMN,
    Font,
    col,
    money_format,
    style_row,
    write_block_heading,
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
    ("Risk-adjusted net gap", "risk_adjusted_net_gap"),
    ("Reserves drawn", "reserves_drawn"),
    ("Implementation costs met from reserves", "reserve_funded_costs"),
    ("Closing reserves", "closing_reserves"),
    ("Minimum reserves", "minimum_reserves"),
    ("Status", "status"),
)
TOTALS = ("gross_gap", "net_gap", "closing_reserves")
FIRST_ROW = 3


def summary_rows(ws: Worksheet, result: Result, refs: dict) -> None:
    """Write the ROWS as formulas for every year t = 0..T, then the reserves settings."""

    row_of = {key: FIRST_ROW + i for i, (_, key) in enumerate(ROWS)}
    settings = _settings(ws, result, FIRST_ROW + len(ROWS) + 1)
    saving = refs["savings"]
    n1, n2, net_total = saving["net_saving"]
    i1, i2, _ = saving["implementation_cost"]
    has_streams = n2 >= n1
    R = row_of
    years = len(result.labels)
    for t in range(years):
        c, p = col(t), col(t - 1) if t else None
        s = col(t, SAVINGS_FIRST_YEAR_COLUMN)

        def funded(by: str) -> str:
            return (f'=SUMIF(Savings!$D${i1}:$D${i2},"{by}",Savings!{s}{i1}:{s}{i2})' if has_streams else "=0")

        formulas = {
            "net_expenditure": f"=Lines!{c}{refs['lines']}+Pressures!{c}{refs['pressures']}",
            "funding": f"=Funding!{c}{refs['funding']}",
            "gross_gap": f"={c}{R['net_expenditure']}-{c}{R['funding']}",
            "savings": f"=Savings!{s}{net_total}",
            "one_off_costs": funded("revenue"),
            "net_gap": f"={c}{R['gross_gap']}-{c}{R['savings']}+{c}{R['one_off_costs']}",
            "incremental_gap": f"={c}{R['net_gap']}-{p}{R['net_gap']}" if t else "=0",
            "risk_adjusted_net_gap": f"={c}{R['gross_gap']}" + (
                f"-SUMPRODUCT(Savings!$C${n1}:$C${n2},Savings!{s}{n1}:{s}{n2})" if has_streams else "")
                + f"+{c}{R['one_off_costs']}",
            "reserves_drawn": f"=IF({settings['use']},MAX({c}{R['net_gap']},0),0)" if t else "=0",
            "reserve_funded_costs": funded("reserves"),
            "closing_reserves": (f"={p}{R['closing_reserves']}-{c}{R['reserves_drawn']}"
                                 f"+MAX(-{c}{R['net_gap']},0)-{c}{R['reserve_funded_costs']}") if t
                                else f"={settings['opening']}",
            "minimum_reserves": (f"={settings['minimum']}*{c}{R['net_expenditure']}"
                                 if result.scenario.reserves.minimum_share is not None else f"={settings['minimum']}"),
            "status": _status(c, R, settings) if t else None,
        }
        for key, formula in formulas.items():
            if formula is not None:
                ws.cell(R[key], FIRST_YEAR_COLUMN + t, formula)
    for label, key in ROWS:
        ws.cell(R[key], 1, label)
        ws.cell(R[key], 2, key)
        style_row(ws, R[key], years, result.units, total=key in TOTALS)
    for t in range(years):
        ws.cell(R["status"], FIRST_YEAR_COLUMN + t).alignment = Alignment(horizontal="right", wrap_text=True)
    ws.row_dimensions[R["status"]].height = 30


def _status(c: str, R: dict[str, int], settings: dict[str, str]) -> str:
    """The spec's status rule: the first that applies."""
    closing, gap, minimum = f"{c}{R['closing_reserves']}", f"{c}{R['net_gap']}", f"{c}{R['minimum_reserves']}"
    return (f'=IF({closing}<0,"reserves exhausted",'
            f'IF(AND({gap}>0,NOT({settings["use"]})),"unbalanced",'
            f'IF({closing}<{minimum},"below minimum reserves",'
            f'IF({gap}>0,"balanced with reserves","balanced"))))')


def _settings(ws: Worksheet, result: Result, row: int) -> dict[str, str]:
    """Input cells for the reserves settings; returns their absolute references."""
    reserves = result.scenario.reserves
    share = reserves.minimum_share
    write_block_heading(ws, row, "Reserves settings (inputs: change them to test the plan)")
    items = (
        ("opening", "Opening reserves (start of year 1)", "reserves.opening", float(result.results.closing_reserves[0, 0]),
         money_format(result.units)),
        ("minimum", "Minimum reserves" + (" (share of net expenditure)" if share is not None else ""),
         "reserves.minimum", share if share is not None else float(reserves.minimum),
         PERCENT if share is not None else money_format(result.units)),
        ("use", "Use reserves to balance the budget", "reserves.use_to_balance", bool(reserves.use_to_balance), None),
    )
    refs = {}
    for k, (name, label, key, value, fmt) in enumerate(items, start=1):
        ws.cell(row + k, 1, label)
        ws.cell(row + k, 2, key).font = Font(color="808080", size=9)
        cell = ws.cell(row + k, FIRST_YEAR_COLUMN, value)
        cell.font = Font(color="0000FF")   # the modelling convention: blue = input
        if fmt:
            cell.number_format = fmt
        refs[name] = f"$C${row + k}"
    return refs
