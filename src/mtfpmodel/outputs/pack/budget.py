"""The budget lines section of the pack: lines by group with subtotals (a plan built from cost
drivers: ``results.linetable``), what the lines add up to with contractual inflation as its own
row, pressures, the workforce (pay bill and on-costs by pay group and year) and the indexed
contracts. Each long table is split into page-sized tables, a group (or pay group, or contract)
kept whole. Figures from ``Result``: ``lines``, ``workforce``, ``contracts`` and the engine's arrays.
"""
from __future__ import annotations

from mtfpmodel.engine.workforce import MEASURES
from mtfpmodel.outputs.drivertext import MEASURE_LABELS
from mtfpmodel.outputs.pack.content import Paragraph, Row, Section, Subheading, Table, numbered
from mtfpmodel.outputs.pack.context import Context
from mtfpmodel.results.linetable import line_table, to_net_expenditure, uses_drivers
from mtfpmodel.results.workforce import all_groups, by_group
from mtfpmodel.scenario.units import figure, percent

PERIODS = {52: "a week", 12: "a month", 1: "a year"}
MEASURE_ROWS = {m: text[0].upper() + text[1:] for m, text in MEASURE_LABELS.items()}   # Pay bill, Employer NI, ...


def share(value: float) -> str:
    """A share as a person writes it: 6%, 55%, 1.5%."""
    return f"{value * 100:.3g}%"


def section(ctx: Context) -> Section:
    """Budget lines (grouped when the plan uses groups or drivers), their total to net expenditure,
    pressures, then the workforce and contracts when the plan has them."""
    result = ctx.result
    drivers = uses_drivers(result)
    table = line_table(result)
    blocks: list = []
    if drivers:
        blocks.append(Paragraph("Budget lines by group, the base year first. A volume-driven line is its units times "
                                "a unit cost; staff costs come from the workforce and contracts from their own "
                                "indexation clauses (below), each carved out of the line's base budget.", "note"))
    blocks += _line_tables(ctx, table if drivers else None)
    blocks.append(_to_net_expenditure(ctx, table))
    blocks += _pressures(ctx)
    if result.scenario.workforce is not None:
        blocks += _workforce(ctx, table)
    if result.scenario.contracts:
        blocks += _contracts(ctx, table)
    return Section("lines", "Budget lines and pressures", tuple(blocks))


def _header(ctx: Context, title: str | None = None) -> tuple[str, ...]:
    labels = ctx.result.labels
    return (f"{title} ({ctx.label})" if title else f"({ctx.label})", f"{labels[0]} (base)", *labels[1:])


def _line_tables(ctx: Context, table) -> list[Table]:
    """One page-sized table per group of lines (with its subtotal), then the lines without a group;
    without groups, every line in page-sized tables."""
    result = ctx.result
    years = list(result.labels)
    notes = {line.name: _note(ctx, line) for line in result.scenario.expenditure}
    if table is None:
        rows = [[Row.of(line.name, ctx.cells(result.results.line_cost[0, i]), note=notes[line.name])]
                for i, line in enumerate(result.scenario.expenditure)]
        return ctx.paged("lines-table", _header(ctx), rows)
    groups: list[tuple[str, list[Row]]] = []
    others: list[list[Row]] = []
    for _, row in table.iterrows():
        key, item = row["key"], row["item"].strip()
        if key == "group":
            groups.append((item, []))
        elif key == "subtotal" or (key == "line" and row["item"].startswith("  ")):     # a line of the group
            groups[-1][1].append(Row.of(item, ctx.cells(row[years]), "total" if key == "subtotal" else "",
                                        note=notes.get(item, "")))
        elif key == "line":
            others.append([Row.of(item, ctx.cells(row[years]), note=notes[item])])
    tables: list[Table] = []
    for group, rows in groups:
        tables += ctx.paged("lines-table", _header(ctx, group), [[r] for r in rows])
    if others:
        tables += ctx.paged("lines-table", _header(ctx, "Other budget lines" if groups else "Budget lines"), others)
    return numbered("lines-table", tables)          # a group running over a page does not take the next one's id


def _note(ctx: Context, line) -> str:
    """'1,800 → 1,910 units at £700 → £900 a week; care fees 100%; staff from NJC local pay 6%'."""
    parts = []
    if line.volume is not None:
        frame = ctx.result.lines
        own = frame[frame["line"] == line.name].set_index("year")
        first, last = ctx.result.labels[0], ctx.result.labels[-1]
        per = PERIODS.get(line.periods_per_year, f"× {line.periods_per_year:g} a year")      # 52.0 finds 52
        parts.append(f"{figure(own.loc[first, 'volume'])} → {figure(own.loc[last, 'volume'])} units at "
                     f"£{figure(own.loc[first, 'unit_cost'])} → £{figure(own.loc[last, 'unit_cost'])} {per}")
    parts.append("cost mix: " + ", ".join(f"{name.replace('_', ' ')} {share(w)}" for name, w in line.cost_mix.items()))
    if line.pay_from:
        parts.append("staff from " + ", ".join(f"{g} {share(s)}" for g, s in line.pay_from.items()))
    held = [c.name for c in ctx.result.scenario.contracts if c.line == line.name]
    if held:
        parts.append("contracts: " + ", ".join(held))
    return "; ".join(parts)


def _to_net_expenditure(ctx: Context, table) -> Table:
    """Budget lines to net expenditure: their total (of which workforce and contracts, and the
    contractual inflation), pressures, the capital lines, contributions to reserves."""
    result = ctx.result
    years = list(result.labels)
    by_key = {row["key"]: row for _, row in table.iterrows()}
    rows = [Row.of("Total budget lines", ctx.cells(by_key["total"][years]), "total")]
    if "workforce" in by_key:
        rows.append(Row.of("of which workforce (pay bill and on-costs)", ctx.cells(by_key["workforce"][years]), "sub"))
    if "contracts" in by_key:
        rows += [Row.of("of which indexed contracts", ctx.cells(by_key["contracts"][years]), "sub"),
                 Row.of(f"Contractual inflation (contracts' rise since {years[0]})",
                        ctx.cells(by_key["contractual_inflation"][years]))]
    rows += [Row.of(label, ctx.cells(values), "total" if key == "net_expenditure" else "")
             for label, key, values in to_net_expenditure(result)]
    return Table("lines-total-table", _header(ctx, "What the lines add up to"), tuple(rows))


def _pressures(ctx: Context) -> list:
    result, r = ctx.result, ctx.result.results
    pressures = result.scenario.pressures
    if not pressures:
        return []
    rows = [[Row.of(p.name, ctx.cells(r.pressure_level[0, i]), note=("recurring" if p.recurring else "one-off")
                    + (f" · {p.source}" if p.source else ""))] for i, p in enumerate(pressures)]
    rows.append([Row.of("Total pressures", ctx.cells(r.pressure_level[0].sum(axis=0)), "total")])
    return [*ctx.paged("pressures-table", _header(ctx, "Pressures"), rows),
            Paragraph("Pressures are new costs in the budget: a recurring pressure stays from the year it arises; a "
                      "one-off counts only in its year. They are not inflated.", "note")]


def _workforce(ctx: Context, table) -> list:
    """The on-cost rates and pay awards, then each pay group's pay bill and on-costs by year
    (workforce.csv), then all pay groups and what the budget lines carry."""
    result = ctx.result
    workforce, years = result.workforce, list(result.labels)
    groups = result.scenario.workforce.groups
    blocks: list = [Subheading("Workforce"),
                    Paragraph("Pay bill = FTE × average salary × (1 + drift) × (1 − vacancy factor); employer NI is "
                              "the rate on pay per employee above the threshold; employer pension a rate of the pay "
                              "bill; the apprenticeship levy a rate of the pay bill above the allowance.", "note"),
                    _rates(ctx)]
    tables: list[Table] = []
    for group, own in zip(groups, by_group(workforce, result.scenario, years)):
        carried = float(own["in_budget_lines"].iloc[0])
        about = (f"{figure(group.fte)} FTE" + (f", {figure(group.headcount)} employees" if group.headcount else "")
                 + f"; drift {share(group.drift)}, vacancy {share(group.vacancy)}; budget lines carry {share(carried)}")
        rows = [Row.of("Average salary, with pay awards (£)", [figure(v) for v in own["average_salary"]], "sub",
                       note=about)]
        rows += [Row.of(MEASURE_ROWS[m], ctx.cells(own[m]), "sub") for m in MEASURES]
        rows.append(Row.of(f"Total {group.name}", ctx.cells(own["total_cost"]), "total"))
        tables += ctx.paged("workforce-table", _header(ctx, group.name), [[r] for r in rows])
    tables = numbered("workforce-table", tables)
    by_key = {row["key"]: row for _, row in table.iterrows()}
    rows = []
    if len(groups) > 1:
        whole = all_groups(workforce, years)
        rows += [Row.of(MEASURE_ROWS[m], ctx.cells(whole[m]), "sub") for m in MEASURES]
        rows.append(Row.of("Total workforce", ctx.cells(whole["total_cost"]), "total"))
    rows.append(Row.of("Carried by budget lines (pay_from)", ctx.cells(by_key["workforce"][years]), "total"))
    tables += ctx.paged("workforce-total", _header(ctx, "All pay groups" if len(groups) > 1 else "Workforce"),
                        [[r] for r in rows])
    return blocks + tables


def _rates(ctx: Context) -> Table:
    """Employer NI, pension and levy rates and each group's pay award, by year (the scenario's values)."""
    s = ctx.result.scenario
    w = s.workforce
    params = ctx.result.params

    def series(path: str, base: float | None, pounds: bool = False) -> list[str]:
        values = [base, *params[path].value] if base is not None else [None, *params[path].value]
        return ["–" if v is None else figure(v) if pounds else percent(v, 1) for v in values]

    levy = float(params["workforce.apprenticeship_levy.rate"].value)
    allowance = float(params["workforce.apprenticeship_levy.allowance"].value)
    rows = [Row.of("Employer NI rate (%)", series("workforce.employer_ni.rate", w.employer_ni.base_rate)),
            Row.of("Employer NI threshold (£ a year per employee)",
                   series("workforce.employer_ni.threshold", w.employer_ni.base_threshold, pounds=True), "sub"),
            Row.of("Employer pension rate (% of pay)",
                   series("workforce.employer_pension.rate", w.employer_pension.base_rate)),
            Row.of(f"Apprenticeship levy (% of the pay bill above £{allowance / 1e6:,.1f}m)",
                   [percent(levy, 1)] * len(ctx.result.labels))]
    rows += [Row.of(f"Pay award: {g.name} (%)", series(f"workforce.groups[{g.name}].pay_award", None), "sub")
             for g in w.groups]
    labels = ctx.result.labels
    return Table("workforce-rates", ("On-cost rates and pay awards", f"{labels[0]} (base)", *labels[1:]), tuple(rows),
                 label_width=40)


def _contracts(ctx: Context, table) -> list:
    """Each indexed contract's cost and uplift by year (contracts.csv), and their contractual inflation."""
    result = ctx.result
    contracts, years = result.contracts, list(result.labels)
    params = result.params
    blocks = []
    for c in result.scenario.contracts:
        own = contracts[contracts["contract"] == c.name].set_index("year").loc[years]
        index = params[f"contracts[{c.name}].index"]
        clause = [index.ref.removeprefix("assumptions.") if index.ref else "a fixed rate",
                  f"{c.lag}-year lag" if c.lag else "no lag"]
        clause += [f"cap {percent(c.cap, 1)}"] if c.cap is not None else []
        clause += [f"collar {percent(c.collar, 1)}"] if c.collar is not None else []
        if c.start or c.end:
            clause.append(f"{c.start or 'from the start'} to {c.end or 'beyond the plan'}")
        blocks.append([Row.of(c.name, ctx.cells(own["cost"]), note=f"{', '.join(clause)}; in {c.line}"),
                       Row.of("uplift (%)", ["–", *(percent(v, 1) for v in own["uplift"].iloc[1:])], "sub")])
    by_key = {row["key"]: row for _, row in table.iterrows()}
    blocks.append([Row.of("Total indexed contracts", ctx.cells(by_key["contracts"][years]), "total"),
                   Row.of(f"Contractual inflation (rise since {years[0]})",
                          ctx.cells(by_key["contractual_inflation"][years]), "total")])
    return [Subheading("Indexed contracts"), *ctx.paged("contracts-table", _header(ctx, "Contracts"), blocks)]
