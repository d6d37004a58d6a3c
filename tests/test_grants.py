"""Grants: certainty (counted in the risk-adjusted gap at its share) and ``ends`` (the cliff edge)."""
from __future__ import annotations

import pytest

from mtfpmodel.engine.parameters import collect
from mtfpmodel.results.bridge import bridge

approx = pytest.approx

GRANTS = """\
scenario: grants
base_year: "2024/25"
expenditure: [{name: Services, base: 1300}]
funding:
  council_tax: {tax_base: 1000, band_d: 1000}
  grants:
    - {name: Revenue Support Grant, base: 100, growth: 0%}
    - {name: Recovery Grant, base: 100, values: 100, ends: "2026/27", certainty: indicative}
    - {name: Extra support, base: 100, values: [100, 100, 100, 100], certainty: assumed}
EXTRA
reserves: {opening: 1000}
"""


def test_a_grant_is_nothing_after_its_last_year(run_text):
    # Recovery Grant: 100 in 2024/25 to 2026/27, then 0 whatever its values say.
    result = run_text(GRANTS.replace("EXTRA", ""))
    frame = result.funding
    recovery = list(frame[frame.source == "Recovery Grant"].amount)
    assert recovery == approx([100, 100, 100, 0, 0])
    # spending 1,300 against 1,000 + 100 + 100 + 100 = 1,300: balanced until the grant ends, then a gap of 100
    assert list(result.summary["net_gap"]) == approx([0, 0, 100, 100])


def test_risk_adjusted_gap_counts_each_grant_at_its_certainty(run_text):
    # indicative 90%: 10% of the Recovery Grant's 100 is at risk; assumed 70%: 30% of Extra support's 100.
    # 2025/26: 0 + 10 + 30 = 40; 2027/28 (Recovery Grant ended): 100 + 0 + 30 = 130.
    result = run_text(GRANTS.replace("EXTRA", ""))
    assert list(result.summary["risk_adjusted_net_gap"]) == approx([40, 40, 130, 130])
    # grant_confidence overrides only the words it names: assumed 50% → 50 at risk
    partial = run_text(GRANTS.replace("EXTRA", "grant_confidence: {assumed: 50%}"))
    assert list(partial.summary["risk_adjusted_net_gap"]) == approx([60, 60, 150, 150])


def test_a_grant_ending_is_its_own_bridge_step(run_text):
    result = run_text(GRANTS.replace("EXTRA", ""))
    steps = {s.label: s.value for s in bridge(result)}
    # the grant's 100 in its last year returns to the gap; the other grants did not change
    assert steps["Recovery Grant ends"] == approx(100)
    assert "grants" not in steps            # a zero step is left out
    total = sum(s.value for s in bridge(result)[1:-1])
    assert bridge(result)[0].value + total == approx(result.summary["net_gap"].iloc[-1])
    before = {s.label for s in bridge(result, year=2)}                  # 2026/27: not ended yet
    assert "Recovery Grant ends" not in before


def test_the_verdict_names_the_grant_whose_end_reopens_the_gap(run_text):
    from mtfpmodel.outputs.terminal import verdict

    text = verdict(run_text(GRANTS.replace("EXTRA", "")))
    assert "The Recovery Grant (£100k) ends after 2026/27 and the gap reopens in 2027/28." in text


def test_certainty_is_a_path(run_text):
    result = run_text(GRANTS.replace("EXTRA", ""), overrides={"funding.grants[Extra support].certainty": 1.0})
    assert list(result.summary["risk_adjusted_net_gap"]) == approx([10, 10, 100, 100])
    assert "funding.grants[Recovery Grant].certainty" in collect(result.scenario)


def test_the_grant_table_holds_each_grants_certainty_and_the_part_held_back(run_text):
    # Recovery Grant indicative (90%): 100 a year until 2026/27, 10 held back; Extra support assumed
    # (70%): 30 held back; the Revenue Support Grant is confirmed, none held back.
    result = run_text(GRANTS.replace("EXTRA", ""))
    table = result.grants
    recovery = table[table["grant"] == "Recovery Grant"].set_index("year")
    assert list(recovery["amount"]) == approx([100, 100, 100, 0, 0])
    assert list(recovery["at_risk"]) == approx([10, 10, 10, 0, 0])
    assert set(recovery["certainty"]) == {"indicative"} and set(recovery["ends"]) == {"2026/27"}
    assert list(table[table["grant"] == "Revenue Support Grant"]["at_risk"]) == approx([0] * 5)
    # what the table holds back is exactly the grants' part of the risk-adjusted gap (no savings here)
    held = table.groupby("year", sort=False)["at_risk"].sum().iloc[1:]
    assert list(held) == approx(list(result.summary["risk_adjusted_net_gap"] - result.summary["net_gap"]))


def test_explain_adds_the_grants_at_risk_to_the_risk_adjusted_gap(run_text):
    # Before, the working left the grants out: '= 0 − 0 + 0 = 0' under a figure of 40.
    from mtfpmodel.analysis.explain import explain

    item = explain(run_text(GRANTS.replace("EXTRA", "")), "summary.risk_adjusted_net_gap[2025/26]")
    assert item.value == approx(40)
    assert "  grant at risk: Recovery Grant: (1 − 90%) × 100 = 10" in item.working
    assert "  grant at risk: Extra support: (1 − 70%) × 100 = 30" in item.working
    assert item.working[-1].endswith("+ 40 = 40")


def test_values_given_for_years_after_a_grant_ends_are_warned_about(write):
    # Before: values [50, 60, 70, 80] with ends 2025/26 validated silently, and the 60, 70 and 80
    # an officer typed were dropped (a grant is 0 after its last year). A single value (every year)
    # with an end, or zeros after it, is the ordinary way to write a grant that stops: no warning.
    import mtfpmodel

    grant = "{name: Transition Grant, base: 50, values: VALUES, ends: '2025/26'}"
    text = GRANTS.replace("EXTRA", "    - " + grant)
    loaded = mtfpmodel.load(write(text.replace("VALUES", "[50, 60, 70, 80]")))
    result = mtfpmodel.run(loaded)
    [problem] = [w for w in result.warnings if "Transition Grant].values" in (w.path or "")]
    assert problem.path == "funding.grants[Transition Grant].values" and problem.line == 10
    assert "ends in 2025/26" in problem.message
    assert "2026/27 (£60k), 2027/28 (£70k) and 2028/29 (£80k)" in problem.message
    for quiet in ("50", "[50, 0, 0, 0]", "{2025/26: 50}"):
        loaded = mtfpmodel.load(write(text.replace("VALUES", quiet)))
        assert not [w for w in mtfpmodel.run(loaded).warnings if "Transition Grant" in (w.path or "")], quiet


def test_a_grant_ending_in_a_year_already_short_grows_the_gap_and_a_tiny_grant_is_not_zero(run_text):
    # Spending 2,000 against 1,000 + grants: the gap is there every year, so the end of the grant
    # does not "reopen" it; it grows it. A grant of 0.4 (£000) reads "£400", not "£0".
    # Before: "The Tiny grant (£0) ends after 2026/27 and the gap reopens in 2027/28."
    from mtfpmodel.outputs.terminal import grant_cliff_edges

    result = run_text("""\
scenario: short
base_year: "2024/25"
expenditure: [{name: Services, base: 2000}]
funding:
  council_tax: {tax_base: 1000, band_d: 1000}
  grants: [{name: Tiny grant, values: 0.4, ends: "2026/27"}]
reserves: []
""")
    assert grant_cliff_edges(result) == ["The Tiny grant (£400) ends after 2026/27 and the gap grows in 2027/28."]
