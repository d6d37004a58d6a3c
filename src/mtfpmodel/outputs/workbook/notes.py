"""The Warnings sheet (the run's warnings, as text) and the Guide sheet (how the workbook works)."""
from __future__ import annotations

from mtfpmodel.outputs.workbook import style
from mtfpmodel.outputs.workbook.book import Book
from mtfpmodel.results.result import Result

SHEETS = (
    ("Summary", "output", "The MTFP table: net expenditure, funding, the gap before and after savings, the "
                          "risk-adjusted gap, the use of reserves, what is left unfunded, closing reserves and the "
                          "status of each year. Prints on one A4 landscape page."),
    ("Gap table", "output", "The gap in the shape cabinet papers print it: savings by category, planned use of each "
                            "reserve, savings still to find, unplanned use, surplus, unfunded gap."),
    ("Reserves statement", "output", "The year's use of reserves, each reserve's closing balance, usable reserves "
                                     "against the minimum, and when they run out."),
    ("Council tax", "output", "Tax base, Band D by part, the rise a year and a week, yield, Bands A to H."),
    ("Inputs", "input", "Every input of the scenario, one per row, with its unit, source and mtfp path."),
    ("Expenditure", "calculation", "Each line part by part (the rest of a line x share, inflated and grown by "
                                   "demand; or volume x unit cost), its workforce and contracts, the pressures, the "
                                   "capital lines, contributions to reserves, net expenditure."),
    ("Workforce", "calculation", "Each pay group's pay bill, employer NI, pension and share of the apprenticeship "
                                 "levy."),
    ("Contracts", "calculation", "Each indexed contract's lagged index within cap and collar in its term, and its "
                                 "cost."),
    ("Capital", "calculation", "Each scheme's spend by source, MRP (PPMT) and interest (IPMT) on each year's "
                               "borrowing, the capital financing line."),
    ("Funding", "calculation", "Council tax (tax base x Band D), business rates, grants (to their last year), grants "
                               "at risk, and the council tax table's workings."),
    ("Financing", "calculation", "Invest-to-save capital: each year's borrowing repaid by annuity (PMT) or "
                                 "straight line over the asset's life."),
    ("Savings", "calculation", "Each stream's gross saving by kind, financing, net saving, implementation costs, "
                               "risk-weighted savings and savings by category."),
    ("Gap", "calculation", "Gross gap, net gap, the change in the year, the risk-adjusted gap."),
    ("Reserves", "calculation", "Each reserve's year in order: contributions, planned use, implementation costs, "
                                "unplanned use, surplus, closing balance; totals, the unfunded gap and the status."),
    ("Checks", "check", "Identities that must read zero; the Summary says whether they all do."),
    ("Warnings", "notes", "The warnings of the run that wrote the workbook (as text)."),
)

GUIDE = (
    "This workbook is a live model of the plan: the Inputs sheet drives every figure through formulas, and each "
    "formula cell also holds the value mtfp computed, so the file shows the plan before anything recalculates.",
    "It follows the ICAEW Financial Modelling Code: inputs, calculations and outputs on separate sheets; the same "
    "column is the same year on every sheet; one formula copied across each row's projection years (the base-year "
    "column holds the approved budget); no typed-in numbers inside formulas; units in column C; named ranges for "
    "the main inputs; a Checks sheet and a master check.",
    "Colours: blue on yellow = an input you may change; grey italic = the scenario's structure (change it in the "
    "scenario file); black = a calculation (do not type over it); grey fill = a year the input has no value for.",
    "To flex an input: change the blue cell on the Inputs sheet (e.g. an assumption in one year, a reserve's "
    "planned use, a line's volume, an FTE, a contract's cap, a scheme's borrowing). Excel recalculates at once (LibreOffice: Data > "
    "Calculate > Recalculate Hard if needed). The same change from the command line is mtfp run SCENARIO --set "
    "PATH=VALUE, with the PATH shown in the Inputs sheet's last column.",
    "Named ranges (Formulas > Name Manager) point at the main inputs: Assumption_<name>, Base_<line>, Volume_<line>, "
    "Unit_cost_<line>, FTE_<group>, Pay_award_<group>, Employer_NI_rate, Employer_pension_rate, Cap_<contract>, "
    "Tax_base, Band_D, Tax_base_growth, Council_tax_increase_<part>, <grant>_base, Opening_<reserve>, "
    "Contributions_<reserve>, Planned_use_<reserve> (or Opening_reserves, Minimum_reserves, Use_reserves_to_balance), "
    "Borrowing_rate, Borrowing_<scheme>, Rag_green/amber/red, Grant_confirmed/indicative/assumed, Pounds_per_unit, "
    "Check_tolerance, Checks_failing.",
    "mtfp import mtfp.xlsx --out scenario.yaml turns this workbook (with your changes) back into a scenario file.",
    "Monte Carlo and Sobol analyses are not in the workbook: run mtfp montecarlo for them.",
)


def warnings_sheet(book: Book, result: Result) -> None:
    ws = book.xl.add_worksheet("Warnings")
    ws.write(0, 0, f"Warnings — {book.title}", book.format(style.TITLE))
    header = book.format(style.HEADER)
    for col, text in enumerate(("File", "Line", "Field", "Warning", "Hint")):
        ws.write(2, col, text, header)
    from mtfpmodel.outputs.statements import plan_warnings

    text = book.style("note", "text")
    rows = [(w.file, w.line, w.path, w.message, w.hint) for w in result.warnings]
    rows += [(None, None, "the plan (reserves statement)", sentence, None) for sentence in plan_warnings(result)]
    if not rows:
        ws.write(3, 0, "No warnings.", text)
    for i, row in enumerate(rows, start=3):
        for col, value in enumerate(row):
            if value is not None:
                ws.write(i, col, value, text)
    for col, width in enumerate((30, 7, 34, 80, 50)):
        ws.set_column(col, col, width)
    ws.freeze_panes(3, 0)


def guide_sheet(book: Book) -> None:
    ws = book.xl.add_worksheet("Guide")
    ws.write(0, 0, f"About this workbook — {book.title}", book.format(style.TITLE))
    wrap = book.format({"font_name": style.FONT, "font_size": 10, "text_wrap": True, "valign": "top"})
    row = 2
    for paragraph in GUIDE:
        ws.merge_range(row, 0, row, 2, paragraph, wrap)
        ws.set_row(row, 58)
        row += 1
    row += 1
    header = book.format(style.HEADER)
    for col, text in enumerate(("Sheet", "Kind", "What it holds")):
        ws.write(row, col, text, header)
    for name, kind, what in SHEETS:
        row += 1
        ws.write(row, 0, name, wrap)
        ws.write(row, 1, kind, wrap)
        ws.write(row, 2, what, wrap)
    row += 2
    ws.write(row, 0, "Colour key", book.format(style.BLOCK))
    ws.write(row + 1, 0, "input", book.style("input", "text"))
    ws.write(row + 2, 0, "structure", book.style("structure", "text"))
    ws.write(row + 3, 0, "calculation", book.style("calc", "text"))
    ws.write(row + 4, 0, "not used", book.style("not_used", "text"))
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 14)
    ws.set_column(2, 2, 110)
