"""Inputs of the reserves plan and the capital programme.

Named reserves (the list form) have their kind, whether they are ring-fenced and whether they
meet a gap the plan leaves (written as the reserve's own setting, its kind's default made
explicit), the opening balance, the minimum (an amount, or a share of net expenditure) and the
contributions and planned use by year. The older mapping form keeps its three rows and names
(``Opening_reserves``, ``Minimum_reserves``, ``Use_reserves_to_balance``). A capital scheme has
its spend by financing source (spend is their sum, so it is not an input of its own), its asset
life and MRP method; the borrowing rate and the existing debt charges are ``capital_financing``.
"""
from __future__ import annotations

from mtfpmodel.outputs.workbook.grid import BASE, safe_name
from mtfpmodel.outputs.workbook.register import METHODS, Register, life
from mtfpmodel.scenario.capital import SOURCES

KINDS = ["general", "earmarked"]
NONE = "none"                        # the Inputs sheet's word for a plan with no reserves at all
# The financing sources in the engine's order (SOURCES: the index f of capital_spend), with their labels
SOURCE_LABELS = dict(zip(SOURCES, ("Borrowing", "Capital grants and contributions", "Capital receipts",
                                   "Revenue contributions (RCCO)"), strict=True))


def reserves(reg: Register) -> None:
    s = reg.result.scenario
    reg.sheet.heading("Reserves: balances, minimum levels and the plan for each")
    if not s.reserve_list:           # reserves: [] — not the default single reserve, so import must know
        reg.value("No reserves", "any gap the plan leaves is unbalanced", "", "reserves", NONE, kind="text",
                  role="structure")
    for prefix, reserve in s.reserve_list:
        if prefix == "reserves":
            _mapping(reg, reserve)
        else:
            _named(reg, prefix, reserve)


def _minimum(reg: Register, item: str, path: str, reserve):
    share = reserve.minimum_share
    if share is not None:
        return reg.share(item, "Minimum level", "% of net expenditure", path, share)     # 0% to 100%, as the file
    return reg.value(item, "Minimum level", reg.unit, path, float(reserve.minimum))


def _mapping(reg: Register, reserve) -> None:
    item = "Usable reserves"
    reg.name("Opening_reserves", reg.value(item, "Opening balance (start of year 1)", reg.unit, "reserves.opening",
                                           reserve.opening))
    reg.name("Minimum_reserves", _minimum(reg, item, "reserves.minimum", reserve))
    reg.name("Use_reserves_to_balance", reg.switch(item, "Use reserves to balance the budget?",
                                                   "reserves.use_to_balance", bool(reserve.meets_gap)))


def _named(reg: Register, prefix: str, reserve) -> None:
    n = reserve.name
    reg.choose(reg.value(n, "Kind (general or earmarked)", "", f"{prefix}.kind", reserve.kind, kind="text",
                         source=reserve.source), KINDS)
    reg.switch(n, "Ring-fenced? (TRUE: not usable for the gap)", f"{prefix}.ring_fenced", reserve.ring_fenced)
    reg.switch(n, "Meets a gap the plan leaves?", f"{prefix}.meets_gap", reserve.meets_gaps)
    reg.name(f"Opening_{safe_name(n)}", reg.value(n, "Opening balance (start of year 1)", reg.unit,
                                                  f"{prefix}.opening", reserve.opening))
    _minimum(reg, n, f"{prefix}.minimum", reserve)
    reg.name(f"Contributions_{safe_name(n)}", reg.series(n, "Contributions (budgeted: spending)", reg.unit,
                                                         f"{prefix}.contributions", kind="money"), span=True)
    reg.name(f"Planned_use_{safe_name(n)}", reg.series(n, "Planned use", reg.unit, f"{prefix}.planned_use",
                                                       kind="money"), span=True)


def capital(reg: Register) -> None:
    s = reg.result.scenario
    if s.capital_financing is None and not s.capital_programme:
        return
    reg.sheet.heading("Capital financing: the rate new borrowing is taken at, and the old debt's charges")
    financing = s.capital_financing
    if financing is not None:
        p = "capital_financing"
        ref = reg.series("Borrowing rate", "for the tranche borrowed in each year", "% a year", f"{p}.borrowing_rate",
                         source=financing.source)
        reg.name("Borrowing_rate", ref, span=True)
        charges = financing.existing_debt_charges
        if charges is not None:
            d = f"{p}.existing_debt_charges"
            reg.name("Existing_debt_charges", reg.base("Existing debt charges", "MRP and interest, base year", reg.unit,
                                                       f"{d}.base", source=charges.source), col=BASE)
            if charges.values is not None:
                reg.series("Existing debt charges", "MRP and interest by year", reg.unit, f"{d}.values", kind="money")
    reg.sheet.heading("Capital programme: spend by financing source (spend is their sum)")
    if not s.capital_programme:
        reg.sheet.note("(no capital schemes in this scenario)")
    for scheme in s.capital_programme:
        p = f"capital_programme[{scheme.name}]"
        for n, (field, label) in enumerate(SOURCE_LABELS.items()):
            ref = reg.series(scheme.name, label, reg.unit, f"{p}.{field}", kind="money",
                             source=scheme.source if n == 0 else None)
            if field == "borrowing":
                reg.name(f"Borrowing_{safe_name(scheme.name)}", ref, span=True)
        life(reg, scheme.name, "Asset life (MRP years)", f"{p}.life", scheme.life)
        reg.choose(reg.value(scheme.name, "MRP method", "", f"{p}.method", scheme.method, kind="text"), METHODS)
