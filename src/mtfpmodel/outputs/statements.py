"""Two more tables ``mtfp run`` prints: the reserves statement and (with ``--detail``) council tax.

Both read the figures of :class:`~mtfpmodel.results.result.Result` (``reserves_statement`` and
``council_tax``), so the terminal shows the numbers the CSV files and the report hold.
"""
from __future__ import annotations

import math

from mtfpmodel.outputs.terminal import cabinet_money
from mtfpmodel.results.counciltax import within_limit
from mtfpmodel.results.reserves import FLOW_ROWS, PERCENT_ROWS, unmet
from mtfpmodel.results.result import Result
from mtfpmodel.scenario.reserves import first_gap_reserve
from mtfpmodel.scenario.series import plan_years
from mtfpmodel.scenario.units import figure, in_words, percent


def _grid(header: list[str], rows: list[tuple[str, list[str]]], width: int = 12) -> list[str]:
    label_width = max(len(label) for label, _ in rows) + 2
    widths = [max(width, len(h) + 2) for h in header[1:]]
    top = f"{header[0]:<{label_width}}" + "".join(f"{h:>{w}}" for h, w in zip(header[1:], widths))
    lines = [top, "-" * len(top)]
    lines += [(f"{label:<{label_width}}" + "".join(f"{c:>{w}}" for c, w in zip(cells, widths))).rstrip()
              for label, cells in rows]
    return lines


def reserves_statement_text(result: Result) -> str:
    """The year's use of reserves, each reserve's closing balance by year (the base year column is
    the opening balance), usable reserves against the minimum, and the statement's findings."""
    s = result.reserves_statement
    unit = result.units
    decimals = 1 if unit == "£m" else 0
    years = [c for c in s.table.columns if c not in ("item", "key")]
    rows: list[tuple[str, list[str]]] = []
    previous = None
    for _, row in s.table.iterrows():
        if previous in FLOW_ROWS and row["key"] not in FLOW_ROWS:     # the flows end: the balances follow
            rows.append(("Closing balances", []))
        if row["key"] in PERCENT_ROWS:
            cells = [percent(row[y], 1) for y in years]
        else:
            cells = [figure(row[y], decimals) for y in years]
        indent = "  " if row["key"].startswith("reserve:") else ""
        rows.append((indent + row["item"], cells))
        previous = row["key"]
    lines = _grid([f"({result.unit_label})", f"{years[0]} open", *years[1:]], rows)
    lines.append("")
    lines += [f"  {text}" for text in findings(result)]
    return "\n".join(lines)


UNFUNDED_LAST = "not given: a gap goes unfunded"    # for how long reserves would last, once a gap goes unfunded


def findings(result: Result) -> list[str]:
    """The statement's findings as sentences: run-out year, how long they last, final-year reliance."""
    s = result.reserves_statement
    unit = result.units
    last = result.labels[-1]
    left = float(result.summary["closing_reserves"].iloc[-1])
    summary = result.summary
    costs_unmet, gap_unmet = unmet(result.results)
    gap_years = [result.labels[t] for t in range(1, len(result.labels)) if gap_unmet[t] > 0]
    unbalanced = [y for y in summary["year"][summary["status"] == "unbalanced"] if y in gap_years]
    run_out = next((y for y in summary["year"][summary["status"] == "reserves exhausted"] if y in gap_years), None)
    costs_said = False
    if unbalanced:          # no reserve meets gaps (none at all, or none that may)
        years = (f"every year, {plan_years(result.labels)}" if len(unbalanced) == len(summary) > 1
                 else in_words(unbalanced))
        out = [f"No reserve can meet a gap, so the gap is unfunded in {years}."]
    elif not run_out and s.run_out:     # 'reserves exhausted' by the costs its paying reserve cannot meet alone
        out = [f"The reserves meet every gap, but count as exhausted in {s.run_out}, as "
               f"{_costs_unmet_text(result, costs_unmet)}"]
        costs_said = True
    elif not run_out:
        out = ["Usable reserves do not run out over the plan."]
    elif left > 0 and _left_to_meet_gaps(result) > 0:     # contributions or surpluses rebuilt them
        out = [f"The reserves that can meet a gap run out in {run_out}: the gap left then is unfunded. Usable "
               f"reserves are rebuilt to {cabinet_money(left, unit)} by the end of {last}."]
    elif left > 0:          # what is left is held in reserves that do not meet gaps
        out = [f"The reserves that can meet a gap run out in {run_out}: the gap left then is unfunded. The "
               f"{cabinet_money(left, unit)} of usable reserves left at the end of {last} is held in reserves "
               "that do not meet gaps."]
    else:
        out = [f"Usable reserves run out in {run_out}: the gap left then is unfunded."]
    if not costs_said and (costs_unmet[1:] > 0).any():     # the reserve that pays them could not, whatever
                                                            # the others hold
        text = _costs_unmet_text(result, costs_unmet)
        out.append(text[0].upper() + text[1:])
    if s.gap_unfunded:
        pass                # how long the rest would last means nothing once a gap goes unfunded
    elif s.years_last is None:
        out.append("Usable reserves do not fall over the plan (contributions and surpluses at least match their use).")
    else:
        at_final = "" if s.years_last_at_final_fall is None else (
            f"; at {last}'s fall of {cabinet_money(s.final_fall, unit)}, {lasting(s.years_last_at_final_fall)}")
        out.append(f"At the plan's average fall of {cabinet_money(s.average_fall, unit)} a year, the "
                   f"{cabinet_money(left, unit)} left at the end of {last} would last {lasting(s.years_last)}"
                   f"{at_final}.")
    for name, years in below_own_minimum(result).items():
        out.append(f"{name} is below its own minimum in {in_words(years)}.")
    unfunded = float(result.summary["unfunded_gap"].iloc[-1])
    if s.final_year_relies and unfunded > 0:
        out.append(f"WARNING: {last} still relies on {cabinet_money(s.final_year_drawn, unit)} of reserves and "
                   f"leaves {cabinet_money(unfunded, unit)} of its gap unfunded: a structural gap that one-off money "
                   "does not close.")
    elif s.final_year_relies and result.summary["net_gap"].iloc[-1] > 0:
        out.append(f"WARNING: {last} still relies on {cabinet_money(s.final_year_drawn, unit)} of reserves: "
                   "a structural gap met from one-off money.")
    elif s.final_year_relies:
        out.append(f"WARNING: {last} still plans {cabinet_money(s.final_year_drawn, unit)} of one-off use of "
                   "reserves, although the year has no gap.")
    elif unfunded > 0:
        out.append(f"WARNING: {last} leaves {cabinet_money(unfunded, unit)} of its gap unfunded, with no reserves to "
                   "meet it: the plan does not balance.")
    return out


def _costs_unmet_text(result: Result, costs_unmet) -> str:
    """'implementation costs to be met from reserves are paid by the Transformation reserve, which
    cannot meet £600k of them in 2025/26; that is left unfunded.'"""
    years = [result.labels[t] for t in range(1, len(result.labels)) if costs_unmet[t] > 0]
    first = first_gap_reserve([reserve for _, reserve in result.scenario.reserve_list])
    payer = f"the {result.scenario.reserve_list[first][1].name}" if first is not None else "no reserve (none meets gaps)"
    return (f"implementation costs to be met from reserves are paid by {payer}, which cannot meet "
            f"{cabinet_money(float(costs_unmet[1:].sum()), result.units)} of them in {in_words(years)}; "
            "that is left unfunded.")


def _left_to_meet_gaps(result: Result) -> float:
    """The closing balance at the end of the plan of the reserves that may meet a gap [scenario unit]."""
    closing = result.results.reserve_flows.closing[0, :, -1]
    return float(sum(closing[k] for k, (_, reserve) in enumerate(result.scenario.reserve_list)
                     if reserve.meets_gaps))      # never a ring-fenced one


def plan_warnings(result: Result) -> list[str]:
    """The findings that are warnings (a final year still relying on one-off reserves), without
    their 'WARNING: ': the Warnings sheet and page list them after the warnings about the inputs."""
    return [text.removeprefix("WARNING: ") for text in findings(result) if text.startswith("WARNING: ")]


def lasting(years: float, short: bool = False) -> str:
    """How long reserves would last, rounded down: 'about 3.6 years' (``short``: '3.6 years'), or
    'less than a year'."""
    if years < 1:
        return "under a year" if short else "less than a year"
    return f"{'' if short else 'about '}{math.floor(years * 10) / 10:g} years"


def below_own_minimum(result: Result) -> dict[str, list[str]]:
    """Usable reserves whose own closing balance is below their own minimum, with the years (only
    when the plan has several reserves: with one, the status already says it)."""
    r = result.results
    reserves = result.scenario.reserve_list
    out = {}
    for k, (_, reserve) in enumerate(reserves):
        if reserve.ring_fenced or len(reserves) < 2:
            continue
        years = [result.labels[t] for t in range(1, len(result.labels))
                 if r.reserve_flows.closing[0, k, t] < r.reserve_minimum[0, k, t]]
        if years:
            out[reserve.name] = years
    return out


def tax_cells(values, kind: str, unit: str, pound_sign: bool = False) -> list[str]:
    """A row of the council tax table (``Result.council_tax``) as text, for the terminal and the
    pack alike: ``kind`` 'pct' (a rise, 2.99%), '£' (a charge in pounds, to the penny), 'base'
    (Band D equivalents, to one decimal) or money in the scenario unit; '–' where a figure does
    not apply (the base year's rise)."""
    out = []
    for value in values:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            out.append("–")
        elif kind == "pct":
            out.append(percent(value, 2))
        elif kind == "£":
            out.append(("£" if pound_sign else "") + figure(value, 2))
        elif kind == "base":
            out.append(figure(value, 1))
        else:
            out.append(figure(value, 1 if unit == "£m" else 0))
    return out


def council_tax_text(result: Result) -> str:
    """The council tax table: tax base, Band D by part, the rise a year and a week, yield, bands."""
    table = result.council_tax
    unit = result.units
    parts = [c[len("increase_"):-len("_pct")] for c in table.columns if c.startswith("increase_") and c.endswith("_pct")]
    years = list(table["year"])

    def cells(column: str, kind: str) -> list[str]:
        return tax_cells(table[column], kind, unit, pound_sign=True)

    rows = [("Tax base (Band D equivalents)", cells("tax_base", "base")),
            ("Band D brought forward", cells("band_d_brought_forward", "£"))]
    for part in parts:
        name = part.replace("_", " ")
        rows += [(f"  + {name} (%)", cells(f"increase_{part}_pct", "pct")),
                 (f"  + {name} (£)", cells(f"increase_{part}", "£"))]
    rows += [("Band D", cells("band_d", "£")),
             ("Increase (%)", cells("band_d_increase_pct", "pct")),
             ("Increase, £ a year", cells("band_d_increase", "£")),
             ("Increase, £ a week (Band D)", cells("band_d_increase_per_week", "£")),
             ("Increase, £ a week (Band A)", cells("band_a_increase_per_week", "£"))]
    if "referendum_limit" in table:
        rows.append(("Referendum limit (%)", cells("referendum_limit", "pct")))
        rows.append(("Rise within the referendum limit",
                     ["–" if w is None else "yes" if w else "no: above" for w in within_limit(table)]))
    rows += [(f"Yield, tax base x Band D ({unit})", cells("yield", "money")),
             (f"Collection fund ({unit})", cells("collection_fund", "money")),
             (f"Council tax income ({unit})", cells("council_tax", "money"))]
    for band in "ABCDEFGH":
        rows.append((f"Band {band}", cells(f"band_{band.lower()}", "£")))
    if result.real:
        rows += [(f"Band D at {result.real.label}", cells("band_d_real", "£")),
                 (f"Council tax income at {result.real.label} ({unit})", cells("council_tax_real", "money"))]
    if "parish_precepts" in table:
        rows += [(f"Parish precepts ({unit}, for information)", cells("parish_precepts", "money")),
                 ("  average parish Band D", cells("parish_band_d", "£"))]
    return "\n".join(_grid(["(£ unless stated, cash)" if result.real else "(£ unless stated)", *years], rows))
