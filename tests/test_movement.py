"""Gap movement (mtfpmodel.analysis.movement, `mtfp diff`): causes that add up to the change in the net gap."""
from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mtfpmodel
from mtfpmodel.analysis.movement import movement, net_gap
from mtfpmodel.cli import main
from mtfpmodel.scenario.errors import AnalysisError
from mtfpmodel.scenario.loader import load, validate
from mtfpmodel.scenario.yamlfile import Where

HERE = Path(__file__).parent / "scenarios" / "movement"
BASE = load(HERE / "base.yaml")


def _sum(m) -> np.ndarray:
    return np.sum([c.values for c in m.causes], axis=0) if m.causes else np.zeros(len(m.years))


def test_pay_award_alone_is_the_only_cause_and_worked_by_hand():
    m = movement(BASE, load(HERE / "pay4.yaml"))
    assert [c.label for c in m.causes] == ["Assumption: pay"]
    assert m.causes[0].detail == "3% → 4%"
    # 2025/26: pay parts are Adults 500 (demand 4%) and Corporate 400.
    # Adults 500 × 1.04 × (1.04 − 1.03) = 5.2; Corporate 400 × 0.01 = 4.0; the shared service
    # saves 10% × 50% phasing of Corporate's extra 4.0 = 0.2. Movement = 5.2 + 4.0 − 0.2 = 9.0.
    assert m.causes[0].values[0] == pytest.approx(9.0, abs=1e-9)
    assert m.total == pytest.approx(m.causes[0].values, abs=1e-12)


def test_identical_files_give_zero_movement():
    m = movement(BASE, load(HERE / "base.yaml"))
    assert m.causes == ()
    assert np.all(m.total == 0.0)


def test_removed_stream_moves_the_gap_by_its_net_saving():
    data = copy.deepcopy(BASE.data)
    data["savings"] = [s for s in data["savings"] if s["name"] != "Fees"]
    new = validate(data, Where("new", 0), BASE.path)
    m = movement(BASE, new)
    assert [c.label for c in m.causes] == ["Saving removed: Fees"]
    # Fees: 15 of new saving each year, recurring → 15, 30, 45, 60 comes back onto the gap.
    assert m.causes[0].values == pytest.approx([15, 30, 45, 60])


def test_removing_a_line_and_its_stream_together_is_valid_at_every_step():
    data = copy.deepcopy(BASE.data)
    data["expenditure"] = [x for x in data["expenditure"] if x["name"] != "Corporate"]
    data["savings"] = [s for s in data["savings"] if s["name"] != "Shared service"]
    new = validate(data, Where("new", 0), BASE.path)
    m = movement(BASE, new)
    assert [c.label for c in m.causes] == ["Saving removed: Shared service", "Budget line removed: Corporate"]
    # Corporate: 400 inflated by pay at 3% a year → removing it cuts 412 from 2025/26's gap.
    assert m.causes[1].values[0] == pytest.approx(-412.0)
    assert _sum(m) == pytest.approx(m.total, abs=1e-9)


def test_different_units_are_refused():
    with pytest.raises(AnalysisError, match="units differ"):
        movement(BASE, load(HERE / "in-pounds-m.yaml"))


def test_different_base_years_are_refused(write):
    old = write("""\
        scenario: a
        base_year: "2024/25"
        expenditure: [{name: L, base: 100}]
        funding: {council_tax: {tax_base: 100, band_d: 1000}}
        """, "a.yaml")
    new = write("""\
        scenario: b
        base_year: "2025/26"
        expenditure: [{name: L, base: 100}]
        funding: {council_tax: {tax_base: 100, band_d: 1000}}
        """, "b.yaml")
    with pytest.raises(AnalysisError, match="base year differs: 2024/25 .* 2025/26"):
        movement(load(old), load(new))
    assert main(["diff", str(old), str(new), "--out", str(old.parent / "out")]) == 1


def test_cli_writes_movement_csv_and_bridge(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["diff", str(HERE / "base.yaml"), str(HERE / "pay4.yaml"), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Assumption: pay" in printed and "Total movement" in printed and "(£000)" in printed
    frame = pd.read_csv(out / "movement.csv")
    assert list(frame["category"]) == ["start", "assumption", "end"]
    years = ["2025/26", "2026/27", "2027/28", "2028/29"]
    start, cause, end = (frame.loc[i, years].to_numpy(dtype=float) for i in range(3))
    assert start + cause == pytest.approx(end, abs=1e-9)
    assert frame.loc[1, "total"] == pytest.approx(cause.sum())
    assert (out / "movement_bridge.png").exists() and (out / "movement_bridge.svg").exists()


# --- properties on random pairs of plans -----------------------------------------------------

rates = st.sampled_from(["0%", "1%", "2.5%", "4%", "-1%"])
amounts = st.integers(min_value=0, max_value=80)


@st.composite
def variant(draw) -> dict:
    """A small variation of the base fixture: each kind of change the movement knows, maybe."""
    d = copy.deepcopy(BASE.data)
    if draw(st.booleans()):
        d["assumptions"]["pay"] = draw(st.lists(rates, min_size=4, max_size=4))
    if draw(st.booleans()):
        d["assumptions"]["energy"] = draw(rates)
        d["expenditure"][1]["cost_mix"] = {"prices": "60%", "energy": "40%"}
    if draw(st.booleans()):
        d["expenditure"][0]["demand"] = draw(rates)
    if draw(st.booleans()):
        d["expenditure"][1]["base"] = draw(st.integers(400, 800))
    if draw(st.booleans()):
        d["expenditure"].append({"name": "Libraries", "base": draw(st.integers(1, 200)), "cost_mix": {"pay": 1}})
    if draw(st.booleans()):
        d["expenditure"] = [x for x in d["expenditure"] if x["name"] != "Corporate"]
        d["savings"] = [s for s in d["savings"] if s["name"] != "Shared service"]
    if draw(st.booleans()):
        d["pressures"][0]["amount"] = draw(amounts)
    if draw(st.booleans()):
        d["pressures"] = d["pressures"][1:] + [{"name": "New duty", "amount": draw(amounts)}]
    tax = d["funding"]["council_tax"]
    if draw(st.booleans()):
        tax["increase"] = {"core": draw(st.sampled_from(["0%", "1.99%", "2.99%"]))}
    if draw(st.booleans()):
        tax["tax_base"] = draw(st.integers(900, 1100))
        tax["collection_fund"] = {"2025/26": draw(amounts)}
    if draw(st.booleans()):
        d["funding"]["business_rates"]["growth"] = draw(rates)
    if draw(st.booleans()):
        d["funding"]["grants"][0]["growth"] = draw(rates)
    if draw(st.booleans()):
        d["funding"]["grants"] = d["funding"]["grants"][1:] + [{"name": "New grant", "values": draw(amounts)}]
    if draw(st.booleans()):
        d["savings"][-1]["volume"] = draw(st.lists(st.integers(0, 5), min_size=4, max_size=4))
    if draw(st.booleans()):
        d["savings"] = [s for s in d["savings"] if s["name"] != "Fees"]
        d["savings"].insert(0, {"name": "Income", "kind": "fixed", "saving": draw(amounts),
                                "implementation_cost": {"2025/26": draw(amounts)}})
    if draw(st.booleans()):
        d["reserves"]["opening"] = draw(st.integers(0, 500))
    return d


def _loaded(data: dict):
    return validate(data, Where("variant", 0), BASE.path)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(variant(), variant())
def test_causes_sum_exactly_to_the_total_movement(a, b):
    old, new = _loaded(a), _loaded(b)
    m = movement(old, new)
    assert m.total == pytest.approx(net_gap(new.scenario) - net_gap(old.scenario), abs=1e-12)
    assert np.abs(_sum(m) - m.total).max() <= 1e-9 * max(1.0, np.abs(m.old_gap).max(), np.abs(m.new_gap).max())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(variant(), variant())
def test_swapping_old_and_new_negates_the_total(a, b):
    old, new = _loaded(a), _loaded(b)
    forward, backward = movement(old, new), movement(new, old)
    assert np.array_equal(backward.total, -forward.total)
    assert _sum(backward) == pytest.approx(-_sum(forward), abs=1e-9)


def test_example_pair_in_scenarios_reconciles():
    root = Path(__file__).parent.parent / "scenarios"
    pairs = [(p, root / p.name.replace("-draft", "")) for p in root.glob("*-draft.yaml")]
    for draft, final in pairs:
        m = movement(mtfpmodel.load(draft), mtfpmodel.load(final))
        assert m.causes, f"{draft.name} and {final.name} should differ"
        assert _sum(m) == pytest.approx(m.total, abs=1e-9)


LISTED_RESERVES = """\
reserves:
  - {name: MTFP support reserve, kind: earmarked, opening: 200, planned_use: %(planned)s, contributions: %(c)s}
  - {name: General fund balance, kind: general, opening: %(opening)s, minimum: 5%%}
"""


def _listed(write, name: str, planned: str, c: str, opening: str):
    text = (HERE / "base.yaml").read_text(encoding="utf-8").replace("reserves: {opening: 300, minimum: 5%}\n", "")
    text = text.replace("scenario: movement-base", f"scenario: {name}")
    return load(write(text + LISTED_RESERVES % dict(planned=planned, c=c, opening=opening), f"{name}.yaml"))


def test_reserve_plan_changes_are_causes(write):
    old = _listed(write, "old", "{2025/26: 20}", "0", "100")
    new = _listed(write, "new", "{2025/26: 50, 2026/27: 10}", "{2027/28: 5}", "100")
    m = movement(old, new)
    (cause,) = [c for c in m.causes if c.category == "reserves"]
    # contributions are spending: +5 on the gap in 2027/28 only; planned use +30, +10 in the first years
    assert list(cause.values) == pytest.approx([0, 0, 5, 0])
    assert list(cause.planned) == pytest.approx([30, 10, 0, 0])
    assert "planned_use changed" in cause.detail and "contributions changed" in cause.detail
    # the savings still to find reconcile: old, the gap's movement, less the extra planned use, new
    rows = m.still_to_find_rows()
    start, *middle, end = (values for _, _, values in rows)
    assert start + sum(middle) == pytest.approx(end, abs=1e-9)
    assert list(end) == pytest.approx(list(m.new_gap - m.new_planned))
    # a new opening balance of the general fund moves neither, but is listed with what changed
    (opening,) = [c for c in movement(old, _listed(write, "o", "{2025/26: 20}", "0", "150")).causes]
    assert opening.category == "reserves" and not opening.values.any() and "opening £100k → £150k" in opening.detail


def test_diff_prints_the_still_to_find_reconciliation(write, capsys, tmp_path):
    old = _listed(write, "old", "{2025/26: 20}", "0", "100")
    new = _listed(write, "new", "{2025/26: 50}", "0", "100")
    assert main(["diff", str(old.path), str(new.path), "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "Movement in the savings still to find" in printed
    assert "Reserve: MTFP support reserve: planned use of reserves" in printed
    frame = pd.read_csv(tmp_path / "out" / "movement.csv")
    assert "still_to_find_end" in set(frame["category"])
DRIVERS = load(Path(__file__).parent / "scenarios" / "drivers.yaml")


def test_cost_drivers_are_causes_of_their_own_and_reconcile_exactly():
    data = copy.deepcopy(DRIVERS.data)
    data["workforce"]["employer_ni"]["rate"] = "13.8%"
    data["workforce"]["groups"][0]["fte"] = 22
    data["contracts"][0]["cap"] = "3%"
    data["expenditure"][0]["volume"]["growth"] = "12%"
    new = validate(data, Where("new", 0), DRIVERS.path)
    m = movement(DRIVERS, new)
    assert [(c.label, c.category) for c in m.causes] == [
        ("External placements: volume", "demand"), ("Workforce: employer NI", "workforce"),
        ("Pay group: Social workers", "workforce"), ("Contract: Waste contract", "contracts")]
    # the NI rate back at 13.8% in 2025/26: (15% − 13.8%) × (30,900 − 5,000) × 20 / 1,000 = 6.216 less
    assert m.causes[1].values[0] == pytest.approx(-6.216)
    # the contract capped at 3% instead of 4.5%: 1,200 × (1.03 − 1.045) = −18 in 2025/26
    assert m.causes[3].values[0] == pytest.approx(-18)
    np.testing.assert_allclose(_sum(m), m.total, atol=1e-9)
    np.testing.assert_array_equal(m.new_gap, net_gap(new.scenario))


def test_the_bridge_of_a_one_year_plan_is_titled_by_its_year(write):
    # Before: "net gap, total 2025/26 to 2025/26" on a one-year plan's movement chart.
    # Services 1,000, all pay: 3% → 4% adds 10 to the 2025/26 gap.
    from mtfpmodel.outputs.movementchart import bridge_values

    text = """\
scenario: one year
base_year: "2024/25"
years: 1
assumptions: {pay: PAY}
expenditure: [{name: Services, base: 1000, cost_mix: {pay: 100%}}]
funding: {council_tax: {tax_base: 1000, band_d: 1000}}
"""
    old, new = load(write(text.replace("PAY", "3%"))), load(write(text.replace("PAY", "4%")))
    what, steps, start, end = bridge_values(movement(old, new))
    assert what == "net gap 2025/26"
    assert [label for label, _ in steps] == ["Assumption: pay"] and end - start == pytest.approx(10.0)
    assert bridge_values(movement(BASE, load(HERE / "pay4.yaml")))[0] == "net gap, total 2025/26 to 2028/29"
