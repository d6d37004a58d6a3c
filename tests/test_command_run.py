"""``mtfp run``: the table on the terminal, the CSV files (spec §9), atomic writes, exit codes."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import SCENARIOS

import mtfpmodel
from mtfpmodel.cli import main

FAST = ["--no-charts", "--no-report"]          # CSV files only: what these tests look at

COLUMNS = {
    "summary.csv": ["year", "net_expenditure", "funding", "gross_gap", "savings", "one_off_costs", "net_gap",
                    "incremental_gap", "risk_adjusted_net_gap", "reserves_drawn", "closing_reserves",
                    "minimum_reserves", "status", "reserve_contributions", "planned_reserves_use",
                    "savings_still_to_find", "unplanned_reserves_use", "unfunded_gap", "usable_reserves_pct"],
    "reserves.csv": ["reserve", "year", "opening", "contributions", "planned_use", "implementation_costs",
                     "unplanned_use", "surplus_added", "closing"],
    "lines.csv": ["year", "line", "cost", "group", "volume", "unit_cost", "workforce", "contracts",
                  "contractual_inflation"],      # the spec's three first, then the cost drivers
    "funding.csv": ["year", "source", "amount", "label"],          # the spec's three, then a label for people
    "savings.csv": ["stream", "year", "gross_saving", "financing_cost", "implementation_cost", "net_saving"],
}


@pytest.fixture
def streams_run(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["run", str(SCENARIOS / "streams.yaml"), "--out", str(out), *FAST])
    return code, out, capsys.readouterr()


def test_writes_the_csv_files_with_the_spec_columns(streams_run):
    code, out, _ = streams_run
    assert code == 0
    for name, columns in COLUMNS.items():
        assert list(pd.read_csv(out / name).columns) == columns, name
    streams = pd.read_csv(out / "streams.csv")
    assert {"stream", "kind", "rag", "confidence", "payback_year", "npv"} <= set(streams.columns)
    assert list(streams["stream"]) == ["Fees", "Asset sale", "LED", "Shared ICT", "Homes", "Monthly"]


def test_rows_cover_the_right_years(streams_run):
    _, out, _ = streams_run
    summary = pd.read_csv(out / "summary.csv")
    assert list(summary["year"]) == ["2025/26", "2026/27", "2027/28", "2028/29"]
    lines = pd.read_csv(out / "lines.csv")
    assert list(lines["year"].unique()) == ["2024/25", "2025/26", "2026/27", "2027/28", "2028/29"]
    funding = pd.read_csv(out / "funding.csv")
    assert list(funding["source"].unique()) == ["council_tax"]
    assert len(pd.read_csv(out / "savings.csv")) == 6 * 4


def test_values_are_not_rounded(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(SCENARIOS / "hand.yaml"), "--out", str(out), *FAST]) == 0
    written = pd.read_csv(out / "summary.csv")
    expected = mtfpmodel.run(SCENARIOS / "hand.yaml").summary
    # 2026/27 funding is 1652.526039201 to the last digit: not rounded to 1,653
    assert written["funding"][1] == pytest.approx(1652.526039201, rel=1e-15)
    pd.testing.assert_frame_equal(written, expected, check_exact=True, check_dtype=False)


def test_prints_the_mtfp_table(streams_run):
    _, _, captured = streams_run
    text = captured.out
    assert "(£000)" in text and "2025/26" in text and "2028/29" in text
    for row in ("Net expenditure", "Funding", "Gross gap", "Savings", "Net gap", "Closing reserves", "Status"):
        assert row in text
    assert "926.6" not in text and "927" in text             # figures rounded for display only
    assert "Traceback" not in captured.err


def test_default_out_is_outputs_scenario_name(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["run", str(SCENARIOS / "hand.yaml"), *FAST]) == 0
    assert (tmp_path / "outputs" / "hand-worked" / "summary.csv").is_file()
    assert "outputs/hand-worked" in capsys.readouterr().out


def test_set_is_echoed_and_applied(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(SCENARIOS / "hand.yaml"), "--out", str(out), "--set", "assumptions.pay=5%", *FAST]) == 0
    assert "with --set assumptions.pay=5%" in capsys.readouterr().out
    lines = pd.read_csv(out / "lines.csv")
    # Adults 2025/26 = 600 * 1.05 * 1.05 + 428.4 = 661.5 + 428.4 = 1089.9
    assert lines.query("line == 'Adults' and year == '2025/26'")["cost"].item() == pytest.approx(1089.9)


def test_usage_exit_codes_are_2(capsys):
    unknown_path = ["run", str(SCENARIOS / "hand.yaml"), "--set", "assumptions.pya=4%", *FAST]
    for argv in ([], ["run"], ["bogus"], ["run", "x.yaml", "--bogus"], unknown_path):
        try:
            code = main(argv)
        except SystemExit as exc:          # argparse's own errors
            code = exc.code
        assert code == 2, argv
    assert "Traceback" not in capsys.readouterr().err


def test_a_run_that_fails_part_way_leaves_the_previous_outputs(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    assert main(["run", str(SCENARIOS / "hand.yaml"), "--out", str(out), *FAST]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    calls = []
    real = pd.DataFrame.to_csv

    def failing(self, *args, **kwargs):        # the third file fails after two were written
        calls.append(1)
        if len(calls) == 3:
            raise OSError("disk full")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", failing)
    code = main(["run", str(SCENARIOS / "hand.yaml"), "--out", str(out), "--set", "assumptions.pay=9%", *FAST])
    assert code == 1 and len(calls) == 3
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]      # no staging folder left behind
    err = capsys.readouterr().err
    # before the fix: "internal error: OSError ... This is a bug in mtfpmodel", exit 3
    assert "could not write the outputs (disk full); the previous outputs in" in err
    assert "Traceback" not in err and "bug" not in err


def test_out_that_is_a_file_is_a_usage_error(tmp_path, capsys):
    taken = tmp_path / "taken"
    taken.write_text("not a folder")
    assert main(["run", str(SCENARIOS / "hand.yaml"), "--out", str(taken), *FAST]) == 2
    assert "is a file" in capsys.readouterr().err
    assert taken.read_text() == "not a folder"


def test_a_reader_that_stops_early_does_not_stop_the_outputs(tmp_path):
    # Regression: `mtfp run ... | head` raised BrokenPipeError while printing the table, before
    # any file was written, and the run ended without its outputs.
    import subprocess
    import sys

    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from mtfpmodel.cli import main; sys.exit(main())",
         "run", str(SCENARIOS / "hand.yaml"), "--out", str(out), "--no-charts", "--no-report"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()                     # the reader leaves before anything is printed
    stderr = process.stderr.read().decode()
    assert process.wait() == 0, stderr
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr
    assert (out / "summary.csv").is_file()


def test_a_plan_built_from_cost_drivers_prints_and_writes_them(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(SCENARIOS / "drivers.yaml"), "--out", str(tmp_path / "plain"), "--no-charts",
                 "--no-report"]) == 0
    assert "Workforce (£000)" not in capsys.readouterr().out          # the detail tables only with --detail
    assert main(["run", str(SCENARIOS / "drivers.yaml"), "--out", str(out), "--no-charts", "--detail"]) == 0
    text = capsys.readouterr().out
    for row in ("Budget lines (£000)", "Total Children's social care", "contractual inflation", "Workforce (£000)",
                "Social workers (20 FTE)", "employer NI", "Carried by budget lines (pay_from)"):
        assert row in text, row
    assert list(pd.read_csv(out / "workforce.csv").columns) == [
        "year", "group", "fte", "average_salary", "pay_bill", "employer_ni", "employer_pension",
        "apprenticeship_levy", "total_cost", "in_budget_lines"]
    assert list(pd.read_csv(out / "contracts.csv").columns) == [
        "year", "contract", "line", "uplift", "cost", "contractual_inflation"]
    assert (out / "report.html").is_file() and (out / "mtfp.xlsx").is_file()


def test_a_long_scenario_name_gets_a_default_folder_and_an_empty_real_is_refused(tmp_path, monkeypatch, capsys):
    # Found by an acceptance audit of issue 15: a scenario named with 300 characters validated, then
    # `mtfp run` (no --out) failed "choose another --out" (the default folder's name was too long);
    # --real "" ran in cash as if it were not given.
    from mtfpmodel.cli import main

    monkeypatch.chdir(tmp_path)
    text = (Path(__file__).parent / "scenarios" / "hand.yaml").read_text(encoding="utf-8")
    plan = tmp_path / "long.yaml"
    plan.write_text(text.replace("scenario: hand-worked", "scenario: " + "s" * 300), encoding="utf-8")
    assert main(["run", str(plan), "--no-charts", "--no-report"]) == 0
    assert (tmp_path / "outputs" / ("s" * 100) / "summary.csv").is_file()
    assert main(["run", str(plan), "--real", ""]) == 2
    assert "--real '': name the assumption to deflate by" in capsys.readouterr().err


def test_a_scenario_named_at_length_in_another_script_gets_a_folder_and_a_dangling_out_link_is_refused(
        tmp_path, monkeypatch, capsys):
    # Found by a review: 100 characters of Chinese are 300 bytes, past the 255-byte name limit, so
    # run with no --out failed "File name too long (choose another --out)"; --out a link to a folder
    # that does not exist did all the work, then failed "could not publish the outputs".
    from mtfpmodel.cli import main

    monkeypatch.chdir(tmp_path)
    text = (Path(__file__).parent / "scenarios" / "hand.yaml").read_text(encoding="utf-8")
    plan = tmp_path / "cjk.yaml"
    plan.write_text(text.replace("scenario: hand-worked", "scenario: " + "預算計劃" * 30), encoding="utf-8")
    assert main(["run", str(plan), "--no-charts", "--no-report"]) == 0
    [folder] = (tmp_path / "outputs").iterdir()
    assert len(folder.name.encode("utf-8")) <= 200 and (folder / "summary.csv").is_file()
    (tmp_path / "link").symlink_to(tmp_path / "missing")
    assert main(["run", str(plan), "--out", str(tmp_path / "link"), "--no-charts"]) == 2
    assert "is a link to" in capsys.readouterr().err
