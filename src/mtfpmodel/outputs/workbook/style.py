"""The workbook's look: one colour for inputs, another for calculations (the ICAEW Code's clear formatting).

    input        blue text on pale yellow   a number or word the officer may change
    structure    grey italic                set by the scenario file (which line a saving comes off...)
    calculation  black                      a formula; never type over it
    not used     light grey fill            a year the row has no value for (inputs start in year 1)
    check        red fill when not zero     the Checks sheet's identities

Number formats follow the unit column: money in the scenario unit with brackets for negatives,
rates as percentages with two decimals, Band D and unit costs in pounds and pence.
"""
from __future__ import annotations

FONT = "Calibri"
NAVY = "#1F3864"
INPUT_FONT, INPUT_FILL = "#0000FF", "#FFF2CC"
STRUCTURE_FONT = "#595959"
NOT_USED_FILL = "#F2F2F2"
BLOCK_FILL = "#D9E1F2"
CHECK_FAIL_FILL = "#F8CBAD"
GRID_BORDER = "#BFBFBF"
WIDTHS = {"label": 40, "detail": 36, "unit": 13, "value": 12, "year": 12.5, "source": 60, "path": 44}


def number_format(kind: str, unit: str) -> str:
    """Excel number format for a kind of figure; money depends on the scenario unit."""
    digits = "#,##0.0" if unit == "£m" else "#,##0"
    half = "0.05" if unit == "£m" else "0.5"        # half the last digit shown: less rounds to nothing
    return {
        # a figure that rounds to nothing reads '–', as 0 does, never '(0)' (the terminal writes it 0)
        "money": f'[>={half}]{digits};[<=-{half}]({digits});"–"',
        "rate": "0.00%",
        "pounds": '£#,##0.00;(£#,##0.00);"–"',
        "number": "#,##0.0",
        "ratio": "0.0000",
        "count": "General",
        "int": "0",
        "check": '[>=0.000001]#,##0.000000;[<=-0.000001]-#,##0.000000;"0"',   # rounding noise reads 0
        "text": "General",
        "year": "@",          # a financial year typed in stays text ('2026/27', never a date)
    }[kind]


def cell_style(role: str, kind: str, unit: str, bold: bool = False, total: bool = False) -> dict:
    """XlsxWriter format properties for a cell of ``role`` (input, structure, calc, not_used, label...)."""
    props: dict = {"font_name": FONT, "font_size": 10, "valign": "top"}
    if kind != "text":
        props["num_format"] = number_format(kind, unit)
    if role == "input":
        props.update(font_color=INPUT_FONT, bg_color=INPUT_FILL, border=1, border_color=GRID_BORDER)
    elif role == "structure":
        props.update(font_color=STRUCTURE_FONT, italic=True)
    elif role == "not_used":
        props.update(bg_color=NOT_USED_FILL)
    elif role == "note":
        props.update(font_color=STRUCTURE_FONT, font_size=9, text_wrap=True)
    elif role == "path":
        props.update(font_color=STRUCTURE_FONT, font_size=8)
    if bold:
        props["bold"] = True
    if total:
        props.update(bold=True, top=1, bottom=6)
    return props


TITLE = {"font_name": FONT, "bold": True, "font_size": 13, "font_color": NAVY}
NOTE = {"font_name": FONT, "font_size": 9, "font_color": STRUCTURE_FONT, "italic": True}
HEADER = {"font_name": FONT, "font_size": 10, "bold": True, "font_color": "#FFFFFF", "bg_color": NAVY,
          "valign": "vcenter"}
HEADER_RIGHT = {**HEADER, "align": "right"}
YEAR_NUMBER = {"font_name": FONT, "font_size": 8, "font_color": STRUCTURE_FONT, "align": "right", "num_format": "0"}
BLOCK = {"font_name": FONT, "font_size": 10, "bold": True, "font_color": NAVY, "bg_color": BLOCK_FILL}
CHECK_FAIL = {"bg_color": CHECK_FAIL_FILL, "font_color": "#9C0006"}
