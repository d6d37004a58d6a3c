"""Warnings about valid scenarios: referendum limit and an unbalanced base year."""
from __future__ import annotations

from pathlib import Path

TEXT = """\
scenario: referendum
base_year: "2024/25"
assumptions: {limit: [4.99%%, 4.99%%, 2.99%%, 2.99%%]}
expenditure: [{name: A, base: %(base)s}]
funding:
  council_tax:
    tax_base: 1000
    band_d: 1000
    increase: {core: %(core)s, adult_social_care: 2%%}
    referendum_limit: limit
"""


def test_one_warning_lists_every_year_above_the_limit(run_text):
    result = run_text(TEXT % dict(base=1000, core="2.99%"))
    (warning,) = result.warnings
    # 4.99% in every year: above the 2.99% limit in the last two years only
    assert warning.message == ("the Band D increase is above the referendum limit: 4.99% against a limit of "
                               "2.99% in 2027/28, 2028/29")
    assert warning.path == "funding.council_tax.increase" and warning.line == 9


def test_years_with_different_rates_are_grouped(run_text):
    result = run_text(TEXT % dict(base=1000, core="[3.5%, 2.99%, 3%, 2.99%]"))
    (warning,) = result.warnings
    assert warning.message.endswith("5.50% against a limit of 4.99% in 2025/26; 5.00% against a limit of "
                                    "2.99% in 2027/28; 4.99% against a limit of 2.99% in 2028/29")


def test_no_warning_at_or_below_the_limit(run_text):
    assert run_text(TEXT.replace("2.99%%, 2.99%%]", "4.99%%, 4.99%%]") % dict(base=1000, core="2.99%")).warnings == []


def test_base_year_within_half_a_percent_is_not_a_warning(run_text):
    # 1005 against 1000: a gap of 5, within 0.5% of 1005 = 5.025
    text = TEXT.replace("    referendum_limit: limit\n", "")
    assert run_text(text % dict(base=1005, core="2.99%")).warnings == []
    (warning,) = run_text(text % dict(base=1006, core="2.99%")).warnings
    assert "does not balance" in warning.message



def test_an_unbalanced_base_year_is_reported_at_base_year_in_the_file_run(tmp_path):
    # Before: "plan.yaml:4: base_year: ..." named the expenditure: line (4), and a variant that
    # unbalanced its parent's base year was reported at the parent's expenditure: line.
    import mtfpmodel

    text = TEXT.replace("    referendum_limit: limit\n", "") % dict(base=1006, core="2.99%")
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    (warning,) = mtfpmodel.run(mtfpmodel.load(tmp_path / "plan.yaml")).warnings
    assert (warning.path, warning.line, Path(warning.file).name) == ("base_year", 2, "plan.yaml")
    (tmp_path / "even.yaml").write_text(text.replace("base: 1006", "base: 1000"), encoding="utf-8")
    (tmp_path / "variant.yaml").write_text("extends: even.yaml\nscenario: variant\n"
                                           "expenditure: [{name: A, base: 1006}]\n", encoding="utf-8")
    (warning,) = mtfpmodel.run(mtfpmodel.load(tmp_path / "variant.yaml")).warnings
    assert (warning.path, warning.line, Path(warning.file).name) == ("base_year", 1, "variant.yaml")

FORMULA_NAMES = """\
scenario: "=cmd"
base_year: "2024/25"
expenditure:
  - {name: "-Agency staff", base: 500}
  - {name: Adults, base: 510}
pressures: [{name: "+ Pay award", amount: 10}]
funding:
  council_tax: {tax_base: 1000, band_d: 1000}
  grants: [{name: "@Grant", base: 10}]
reserves:
  - {name: "=General fund", kind: general, opening: 100}
"""


def test_a_name_a_spreadsheet_would_read_as_a_formula_is_a_warning(run_text):
    # The CSV files hold names as they are, and Excel reads a cell starting with =, +, - or @ as a
    # formula ('-Agency staff' shows as #NAME?, '=1+1' as 2). Before: nothing said so.
    result = run_text(FORMULA_NAMES)
    found = [(w.path, w.line, w.message.split(":")[0]) for w in result.warnings]
    assert found == [("scenario", 1, "the name '=cmd' starts with '='"),
                     ("expenditure[-Agency staff].name", 4, "the name '-Agency staff' starts with '-'"),
                     ("pressures[+ Pay award].name", 6, "the name '+ Pay award' starts with '+'"),
                     ("funding.grants[@Grant].name", 9, "the name '@Grant' starts with '@'"),
                     ("reserves[=General fund].name", 11, "the name '=General fund' starts with '='")]
    assert all(w.hint.startswith("rename it without the leading") for w in result.warnings)
