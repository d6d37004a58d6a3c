"""``mtfp diff``: what moved the gap between two versions of a plan."""
from __future__ import annotations

import argparse
from pathlib import Path

from mtfpmodel.analysis.movement import Movement, movement
from mtfpmodel.commands.run import safe_name
from mtfpmodel.outputs.csvfiles import write_csv
from mtfpmodel.outputs.outdir import staged_output
from mtfpmodel.results.result import run
from mtfpmodel.scenario.errors import UsageError
from mtfpmodel.scenario.loader import load
from mtfpmodel.scenario.units import figure

HELP = "explain what moved the gap between two versions of a plan"
DESCRIPTION = """\
Compare two versions of a plan (e.g. the draft budget and the version after the
provisional settlement) and reconcile the change in each year's net gap, and in the
total over all years, into named causes: each assumption that changed (pay, prices,
care fees...), each budget line's base, cost mix, unit cost, volume and demand, the
workforce (on-costs and each pay group), each indexed contract, pressures added, removed
or changed, council tax (tax base, Band D increase, collection fund), business rates,
each grant, each savings stream and each reserve. A reserve's planned use does not move
the gap but the savings still to find (net gap less planned use of reserves): when it
changed, a second table reconciles the savings still to find the same way.

Inputs are switched from OLD to NEW one group at a time in a fixed order (assumptions,
budget lines, workforce, contracts, pressures, council tax, business rates, grants, savings, removed lines,
anything else) and each cause is the change in the gap that its switch makes, so the
causes add up exactly to the total movement. Positive figures increase the gap.

Writes into --out (default outputs/movement-<old>-to-<new>/): movement.csv (one row per
cause, years as columns plus the total) and movement_bridge.png/.svg (a bridge from the
gap at the last report to the gap now; --year picks one year, default the total).
Both plans must have the same base year, number of years and units (exit 1 otherwise).

  mtfp diff scenarios/durham-draft.yaml scenarios/durham.yaml
  mtfp diff old.yaml new.yaml --out outputs/cabinet-feb --year 2026/27
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD", help="the plan at the last report (scenario YAML)")
    parser.add_argument("new", metavar="NEW", help="the plan now (scenario YAML)")
    parser.add_argument("--out", metavar="DIR", help="output folder (default outputs/movement-<old>-to-<new>/)")
    parser.add_argument("--year", metavar="YEAR", help="year the bridge chart shows, e.g. 2026/27 (default: the "
                                                       "total over all years)")


def main(args: argparse.Namespace) -> int:
    old, new = load(args.old), load(args.new)
    result = movement(old, new)
    if args.year is not None and args.year not in result.years:
        raise UsageError(f"--year {args.year} is not a year of the plan (use one of {', '.join(result.years)})")
    print(movement_table(result))
    for note in result.notes:
        print(f"Note: {note}")
    names = f"movement-{safe_name(result.old_name)}-to-{safe_name(result.new_name)}"
    out = Path(args.out) if args.out else Path("outputs") / names
    from mtfpmodel.outputs.chartstyle import scale_for
    from mtfpmodel.outputs.movementchart import draw_bridge

    scale = scale_for(result.units, [run(plan).results.net_expenditure[0] for plan in (old, new)])

    with staged_output(out) as staging:
        write_csv(result.frame(), staging.path("movement.csv"))
        draw_bridge(result, staging.path("movement_bridge"), scale, args.year)
        staging.wrote(["movement.csv", "movement_bridge.png", "movement_bridge.svg"])
    print(f"\nOutputs written to {out}/")
    return 0


HEADINGS = {
    "assumption": "Inflation and other assumptions", "budget": "Budget lines", "demand": "Demand",
    "workforce": "Workforce", "contracts": "Contracts",
    "pressure": "Pressures", "council_tax": "Council tax", "business_rates": "Business rates",
    "grant": "Grants", "savings": "Savings", "capital": "Capital programme",
    "reserves": "Reserves (contributions are spending)", "other": "Other",
}


def movement_table(result: Movement) -> str:
    """The movement as a cabinet-report table: causes as rows, years and the total as columns."""
    unit = result.units
    decimals = 1 if unit == "£m" else 0
    columns = list(result.years) + ["Total"]
    rows = [(f"  {c.label}", list(c.values) + [c.total], c.category, c.detail) for c in result.causes]
    start = (f"Net gap at last report ({result.old_name})", list(result.old_gap) + [result.old_gap.sum()])
    end = (f"Net gap now ({result.new_name})", list(result.new_gap) + [result.new_gap.sum()])
    total = ("Total movement", list(result.total) + [result.total.sum()])
    still = result.still_to_find_rows()
    labels = [r[0] for r in rows + [start, end]] + [f"  {label}" for _, label, _ in still]
    label_width = min(60, max(len(label) for label in labels) + 2)
    widths = [max(11, len(c) + 2) for c in columns]

    def line(label: str, values: list[float]) -> str:
        label = label if len(label) <= label_width - 1 else label[:label_width - 2] + "…"
        return f"{label:<{label_width}}" + "".join(f"{figure(v, decimals):>{w}}" for v, w in zip(values, widths))

    header = f"{'(' + unit + ')':<{label_width}}" + "".join(f"{c:>{w}}" for c, w in zip(columns, widths))
    rule = " " * label_width + "".join(f"{'-' * (w - 2):>{w}}" for w in widths)
    out = [f"Movement in the net gap: {result.old_name} → {result.new_name}",
           "(positive figures increase the gap; Total is the sum over the years)", "",
           header, "-" * len(header), line(*start)]
    category = None
    hidden = 0
    for label, values, cat, detail in rows:
        if cat != "reserves" and all(figure(v, decimals) in ("0", "0.0") for v in values):
            hidden += 1           # a reserve change is shown even when it does not move the gap
            continue
        if cat != category:
            out.append(HEADINGS.get(cat, cat.title()))
            category = cat
        out.append(line(label, values))
        if detail:
            out.append(f"      {detail}")
    out += [rule, line(*total), line(*end)]
    if hidden:
        out.append(f"({hidden} cause{'s' if hidden != 1 else ''} rounding to nothing not shown; all are in movement.csv)")
    if not result.causes:
        out.append("The two plans give the same net gap in every year: nothing moved.")
    if still:
        out += ["", "Movement in the savings still to find (net gap less planned use of reserves)", header,
                "-" * len(header)]
        for key, label, values in still:
            if key == "still_to_find_end":
                out.append(rule)
            out.append(line(label if key.endswith(("start", "end")) else f"  {label}", list(values) + [values.sum()]))
    return "\n".join(out)
