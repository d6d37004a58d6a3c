"""Inputs of the cost drivers: budget lines in their three forms, the workforce, indexed contracts.

A line with a base budget has its base (column E), the cost-mix shares of the rest of the line,
its demand growth and the share of each pay group it carries (``pay_from``); a volume-driven
line has its base-year volume, volume growth (or volumes by year), unit cost, periods a year and
cost-mix shares. Which groups a line carries, a line's group heading, a contract's line and the
years its clause applies are structure (grey); every number is an input.
"""
from __future__ import annotations

from mtfpmodel.outputs.workbook.grid import BASE, VALUE, safe_name
from mtfpmodel.outputs.workbook.register import Register


def lines(reg: Register) -> None:
    reg.sheet.heading("Budget lines: base budget (or volume and unit cost), cost mix, demand, pay groups")
    for line in reg.result.scenario.expenditure:
        prefix = f"expenditure[{line.name}]"
        if line.group:
            reg.value(line.name, "Group (subtotal heading)", "", f"{prefix}.group", line.group, kind="text",
                      role="structure", source=line.source)
        source = None if line.group else line.source
        if line.volume is None:
            ref = reg.base(line.name, "Base budget", reg.unit, f"{prefix}.base", source=source)
            reg.name(f"Base_{safe_name(line.name)}", ref, col=BASE)
            share_unit = "% of the rest" if line.pay_from or _has_contracts(reg, line.name) else "% of base"
        else:
            ref = reg.base(line.name, "Volume in the base year", "units", f"{prefix}.volume.base", kind="number",
                           source=source)
            reg.name(f"Volume_{safe_name(line.name)}", ref, col=BASE)
            if line.volume.values is not None:
                reg.series(line.name, "Volume by year", "units", f"{prefix}.volume.values", kind="number")
            else:
                reg.series(line.name, "Volume growth", "% a year", f"{prefix}.volume.growth")
            ref = reg.value(line.name, "Unit cost at base-year prices", "£ per period", f"{prefix}.unit_cost",
                            float(line.unit_cost), kind="pounds")
            reg.name(f"Unit_cost_{safe_name(line.name)}", ref)
            reg.value(line.name, "Periods per year", "periods", f"{prefix}.periods_per_year",
                      float(line.periods_per_year), kind="count")
            share_unit = "% of unit cost"
        for part, share in line.cost_mix.items():
            label = "Share: no inflation" if part == "none" else f"Share: {part}"
            reg.share(line.name, label, share_unit, f"{prefix}.cost_mix.{part}", share)
        if line.volume is None:
            reg.series(line.name, "Demand growth", "% a year", f"{prefix}.demand")
            for group, share in line.pay_from.items():
                reg.share(line.name, f"Pay from: {group}", "share of the group", f"{prefix}.pay_from.{group}", share)


def _has_contracts(reg: Register, line: str) -> bool:
    return any(c.line == line for c in reg.result.scenario.contracts)


def workforce(reg: Register) -> None:
    w = reg.result.scenario.workforce
    if w is None:
        return
    p = "workforce"
    reg.sheet.heading("Workforce: employer on-costs (the base year in column E, then each projection year)")
    ni, pension, levy = f"{p}.employer_ni", f"{p}.employer_pension", f"{p}.apprenticeship_levy"
    reg.base("Employer NI", "Rate in the base year", "% of pay above the threshold", f"{ni}.base_rate", kind="rate")
    reg.name("Employer_NI_rate", reg.series("Employer NI", "Rate", "% of pay above the threshold", f"{ni}.rate"),
             span=True)
    reg.base("Employer NI", "Secondary threshold in the base year", "£ a year per employee", f"{ni}.base_threshold",
             kind="pounds")
    reg.series("Employer NI", "Secondary threshold", "£ a year per employee", f"{ni}.threshold", kind="pounds")
    reg.base("Employer pension", "Rate in the base year", "% of pay", f"{pension}.base_rate", kind="rate")
    reg.name("Employer_pension_rate", reg.series("Employer pension", "Rate", "% of pay", f"{pension}.rate"),
             span=True)
    reg.share("Apprenticeship levy", "Rate", "share of the pay bill", f"{levy}.rate", w.apprenticeship_levy.rate)
    reg.value("Apprenticeship levy", "Allowance (pay bill free of the levy)", "£ a year", f"{levy}.allowance",
              float(w.apprenticeship_levy.allowance), kind="pounds")
    reg.sheet.heading("Workforce: pay groups (establishment in the base year)")
    for group in w.groups:
        g = f"{p}.groups[{group.name}]"
        ref = reg.value(group.name, "Full-time equivalent posts", "FTE", f"{g}.fte", float(group.fte), kind="number",
                        source=group.source)
        reg.name(f"FTE_{safe_name(group.name)}", ref)
        if group.headcount is not None:
            reg.value(group.name, "Headcount (employees sharing the posts)", "employees", f"{g}.headcount",
                      float(group.headcount), kind="number")
        reg.value(group.name, "Average salary per FTE, base year", "£ a year", f"{g}.average_salary",
                  float(group.average_salary), kind="pounds")
        ref = reg.series(group.name, "Pay award", "% a year", f"{g}.pay_award")
        reg.name(f"Pay_award_{safe_name(group.name)}", ref, span=True)
        reg.share(group.name, "Pay drift (increments, allowances)", "share of pay", f"{g}.drift", group.drift)
        reg.share(group.name, "Vacancy factor", "share of posts", f"{g}.vacancy", group.vacancy)


def contracts(reg: Register) -> None:
    items = reg.result.scenario.contracts
    if not items:
        return
    reg.sheet.heading("Indexed contracts (part of their line's base budget)")
    for c in items:
        p = f"contracts[{c.name}]"
        reg.value(c.name, "Budget line", "", f"{p}.line", c.line, kind="text", role="structure", source=c.source)
        reg.base(c.name, "Annual value in the base year", reg.unit, f"{p}.value")
        reg.series(c.name, "Uplift index", "% a year", f"{p}.index")
        if c.base_index is not None:
            reg.value(c.name, "Index in the base year and before", "% a year", f"{p}.base_index", c.base_index,
                      kind="rate")
        ref = reg.value(c.name, "Lag (years between the index and the uplift)", "years", f"{p}.lag", c.lag,
                        kind="int")
        reg.sheet.validate(ref, VALUE, {"validate": "integer", "criteria": "between", "minimum": 0, "maximum": 5})
        if c.cap is not None:
            reg.name(f"Cap_{safe_name(c.name)}", reg.value(c.name, "Cap (highest uplift)", "% a year", f"{p}.cap",
                                                           c.cap, kind="rate"))
        if c.collar is not None:
            reg.value(c.name, "Collar (lowest uplift)", "% a year", f"{p}.collar", c.collar, kind="rate")
        for field, label in (("start", "First year of the clause"), ("end", "Last year of the clause")):
            if getattr(c, field) is not None:
                reg.value(c.name, label, "year", f"{p}.{field}", getattr(c, field), kind="year", role="structure")
