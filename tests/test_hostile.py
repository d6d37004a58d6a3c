"""Hostile files and arguments that cannot be static cases in tests/bad/: generated nesting,
symlink loops, files too large or not regular, long values echoed back, overflowing plans,
and what --set and --out refuse. Each is exit 1 (or 2 for an argument) with a located message,
never a crash; before the fixes each of these crashed (exit 3), hung or was silently accepted.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from mtfpmodel.cli import main
from mtfpmodel.scenario.limits import MAX_BYTES, MAX_PROBLEMS

SCENARIOS = Path(__file__).parent / "scenarios"
HAND = SCENARIOS / "hand.yaml"
RISK = SCENARIOS / "risk.yaml"
MINIMAL = """\
scenario: hostile
base_year: "2024/25"
expenditure:
  - name: Adults
    base: 1000
funding:
  council_tax: {tax_base: 1000, band_d: 1000}
"""


def errors(capsys) -> list[str]:
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err, err
    return [line for line in err.splitlines() if line.startswith("error: ")]


def deep_block(key: str, levels: int) -> str:
    return f"{key}:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(levels)) + "  " * (levels + 1) + "x: 1\n"


@pytest.mark.parametrize("extra, line", [
    ("description: " + "[" * 500 + "]" * 500 + "\n", 8),            # flow style
    ("description: " + "{a: " * 300 + "1" + "}" * 300 + "\n", 8),
    (deep_block("monte_carlo", 400), 8 + 32),                        # block style: the 33rd level's line
    (deep_block("anything", 400), 8 + 32),                           # ... under an unknown key too
], ids=["flow-list", "flow-map", "block-known-key", "block-unknown-key"])
def test_deep_nesting_is_refused_at_its_line(tmp_path, capsys, extra, line):
    # Before the fix: RecursionError, exit 3.
    path = tmp_path / "deep.yaml"
    path.write_text(MINIMAL + extra)
    assert main(["validate", str(path)]) == 1
    (message,) = errors(capsys)
    assert message.startswith(f"error: {path}:{line}: nested more than 32 levels deep")


def test_an_alias_bomb_is_refused_before_it_is_expanded(tmp_path, capsys):
    # Before the fix: 10^7 values from ~500 bytes, 48.7 s and 2.8 GB before an unknown-key error.
    rows = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    rows += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 7)]
    path = tmp_path / "bomb.yaml"
    path.write_text(MINIMAL + "\n".join(rows) + "\n")
    assert main(["validate", str(path)]) == 1
    (line,) = errors(capsys)
    assert "more than 100,000 values once its aliases (*name) are expanded" in line


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_extends_through_a_symlink_loop(tmp_path, capsys):
    # Before the fix: RuntimeError "Symlink loop", exit 3.
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    child = tmp_path / "child.yaml"
    child.write_text("extends: a.yaml\nscenario: looped\n")
    assert main(["validate", str(child)]) == 1
    (line,) = errors(capsys)
    assert line.startswith(f"error: {child}:1: extends: extends 'a.yaml', a link that loops back on itself")
    assert main(["validate", str(tmp_path / "a.yaml")]) == 1
    (line,) = errors(capsys)
    assert "cannot be opened (Too many levels of symbolic links)" in line


def test_extends_to_a_device_and_a_scenario_that_is_not_a_regular_file(tmp_path, capsys):
    child = tmp_path / "child.yaml"
    child.write_text("extends: /dev/zero\nscenario: endless\n")
    assert main(["validate", str(child)]) == 1
    assert "is not a regular file" in errors(capsys)[0]
    assert main(["validate", "/dev/zero"]) == 1                        # would read for ever
    assert "is not a regular file" in errors(capsys)[0]


def test_a_file_over_the_size_limit_is_not_read(tmp_path, capsys):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as stream:
        stream.truncate(MAX_BYTES + 1)                                 # sparse: no disk needed
    assert main(["validate", str(path)]) == 1
    (line,) = errors(capsys)
    assert "too large for a scenario (at most 10 MiB)" in line


def test_long_values_are_cut_short_in_messages(tmp_path, capsys):
    # Before the fix a rejection echoed the input back: 40 lines over 5,000 characters each.
    long, key = "x" * 5000, "k" * 1000          # YAML keys are at most 1,024 characters
    path = tmp_path / "long.yaml"
    path.write_text(MINIMAL.replace("base: 1000", f"base: {long}\n    {key}: 1\n    demand: {long}", 1)
                    + f"{key}: [{', '.join([long] * 50)}]\n")
    assert main(["validate", str(path)]) == 1
    lines = errors(capsys)
    assert len(lines) >= 3
    assert all(len(line) < 400 for line in lines), max(map(len, lines))


def test_many_problems_are_counted_not_all_printed(tmp_path, capsys):
    path = tmp_path / "many.yaml"
    path.write_text(MINIMAL + "".join(f"unknown_{n}: 1\n" for n in range(300)))
    assert main(["validate", str(path)]) == 1
    lines = errors(capsys)
    assert len(lines) == MAX_PROBLEMS + 1
    assert lines[-1].startswith(f"error: ... and {300 - MAX_PROBLEMS:,} more problems")


OVERFLOWING = """\
scenario: overflowing
base_year: "2024/25"
years: 20
assumptions:
  pay: 1e14%
expenditure:
  - name: Adults
    base: 1000
    cost_mix: {pay: 100%}
    demand: 1e14%
funding:
  council_tax: {tax_base: 1000, band_d: 1000}
"""


@pytest.mark.parametrize("command", [["run"], ["validate"], ["streams"], ["sensitivity"]])
def test_a_plan_whose_figures_overflow_is_refused_before_anything_is_written(tmp_path, capsys, command):
    # Every input is finite and below 1e15, but 20 years of 1e14% growth overflow to infinity.
    # Before the fix summary.csv held inf and nan.
    path = tmp_path / "overflowing.yaml"
    path.write_text(OVERFLOWING)
    out = tmp_path / "out"
    argv = command + [str(path)] + (["--out", str(out)] if command[0] in ("run", "sensitivity") else [])
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "lines[Adults].cost[2037/38] = inf, which is not a finite number" in err
    assert "Traceback" not in err and "RuntimeWarning" not in err
    assert not out.exists()


def test_a_non_finite_figure_is_named_like_the_output_files(tmp_path):
    # Monte Carlo draws cannot reach infinity from the limits a scenario keeps (rates drawn are at
    # most 100%), so the naming of a draw is checked directly.
    import mtfpmodel
    from mtfpmodel.engine.finite import NonFiniteFigure
    from mtfpmodel.results.finite import named

    scenario = mtfpmodel.load(HAND).scenario
    cases = {("line_cost", (5, 0, 3)): "lines[Adults].cost[2027/28] (draw 6)",
             ("source_amount", (0, 1, 2)): "funding[Revenue Support Grant].amount[2026/27]",
             ("band_d", (0, 1)): "funding[council_tax].band_d[2025/26]",
             ("net_gap", (2, 4)): "summary.net_gap[2028/29] (draw 3)",
             ("stream_net", (0, 9, 1)): "stream_net[0, 9, 1]"}          # no such stream: the raw field
    for (field, index), shown in cases.items():
        assert f"gives {shown} = nan" in str(named(NonFiniteFigure(field, index, float("nan")), scenario))


def test_the_finite_check_finds_the_first_bad_figure_upstream_first_and_passes_huge_finite_ones():
    # check_finite first sums each array (one pass); only a sum that is not finite starts the
    # figure-by-figure search, which names the first bad figure, upstream first.
    from dataclasses import dataclass

    import numpy as np

    from mtfpmodel.engine.finite import NonFiniteFigure, check_finite

    @dataclass
    class Flows:
        closing: np.ndarray

    @dataclass
    class Results:
        net_gap: np.ndarray
        line_cost: np.ndarray
        line_unit_cost: np.ndarray
        flows: Flows

    def results(**changed):
        arrays = {"net_gap": np.zeros((2, 3)), "line_cost": np.ones((2, 1, 3)),
                  "line_unit_cost": np.full((2, 1, 3), np.nan), "closing": np.zeros((2, 3))}
        arrays.update(changed)
        closing = arrays.pop("closing")
        return Results(**arrays, flows=Flows(closing))

    check_finite(results())                                        # nan unit costs are blanks by design
    check_finite(results(net_gap=np.array([[1e308, 1e308, 0], [0, 0, 0]])))   # the sum overflows; no figure does
    both = np.array([[np.inf, -np.inf, 0], [0, 0, 0]])             # their sum is nan
    with pytest.raises(NonFiniteFigure) as caught:
        check_finite(results(net_gap=both, line_cost=np.array([[[1, 2, np.nan]], [[0, 0, 0]]])))
    assert (caught.value.field, caught.value.index) == ("line_cost", (0, 0, 2))      # upstream first
    with pytest.raises(NonFiniteFigure) as caught:
        check_finite(results(closing=np.array([[0, 0, 0], [0, -np.inf, 0]])))
    assert (caught.value.field, caught.value.index) == ("flows.closing", (1, 1))
    with pytest.raises(NonFiniteFigure, match="line_unit_cost"):
        check_finite(results(line_unit_cost=np.array([[[np.nan, np.inf, 1]], [[1, 1, 1]]])))


EMPTY_BUDGET = """\
scenario: placeholders
units: "£000"
base_year: "2024/25"
expenditure:
  - {name: Highways, base: 0}
funding:
  council_tax: {tax_base: 1000, band_d: 1500}
reserves: {opening: 0, minimum: 0}
"""


@pytest.mark.parametrize("command", ["validate", "run"])
def test_a_budget_of_nothing_is_refused_for_what_it_is(tmp_path, capsys, command):
    # Before: a plan whose lines are all 0 (placeholders) has usable reserves of 0 / 0, and the
    # message blamed "an input far too large (an extreme growth rate, demand or amount)".
    path = tmp_path / "placeholders.yaml"
    path.write_text(EMPTY_BUDGET, encoding="utf-8")
    assert main([command, str(path)] + (["--out", str(tmp_path / "out")] if command == "run" else [])) == 1
    err = capsys.readouterr().err
    assert ("summary.usable_reserves_pct[2024/25] = nan, which is not a finite number; net expenditure is 0 "
            "that year, so reserves cannot be a share of it (give the budget lines their base budgets)") in err
    assert "far too large" not in err and not (tmp_path / "out").exists()


def test_the_reason_for_a_non_finite_figure_survives_a_trip_between_processes():
    import pickle

    from mtfpmodel.engine.finite import NO_BUDGET, NonFiniteFigure

    error = pickle.loads(pickle.dumps(NonFiniteFigure("usable_reserves_pct", (3, 0), float("nan"), why=NO_BUDGET)))
    assert str(error).endswith(NO_BUDGET) and error.index == (3, 0)


@pytest.mark.parametrize("setting, message", [
    ("..=1", "--set ..: '..' is not a path"),                                # before: exit 0, ignored
    ("assumptions..pay=1%", "is not a path"),
    ("=3%", "expected PATH=VALUE"),
    ("assumptions.pay=", "--set assumptions.pay: no value after '='"),
    ("assumptions.pay=.nan", "--set assumptions.pay: nan is not a finite number"),   # before: NaN outputs
    ("assumptions.pay=nan", "--set assumptions.pay: 'nan' is not a finite number"),
    ("assumptions.pay=-inf%", "is not a finite number"),
    ("expenditure[Adults].base=1e400", "is not a finite number"),
    ("expenditure[Adults]=5", "--set expenditure[Adults]: this names a whole item"),  # before: blamed on the file
    ("pressures=5", "this names a whole list of items"),
    ("assumptions.pay=\"\\e[31m\"", "control character"),
])
def test_set_refuses_what_it_cannot_use_naming_it(tmp_path, capsys, setting, message):
    out = tmp_path / "out"
    assert main(["run", str(HAND), "--out", str(out), "--no-charts", "--no-report", "--set", setting]) == 2
    err = capsys.readouterr().err
    assert f"mtfp run: error: {message}" in err or message in err, err
    assert "hand.yaml:" not in err                                        # not blamed on a line of the file
    assert not out.exists()


def test_a_value_wrong_for_its_field_is_blamed_on_set(tmp_path, capsys):
    assert main(["run", str(HAND), "--out", str(tmp_path / "o"), "--set", "expenditure[Adults].base=lots"]) == 1
    assert "error: --set: expenditure[Adults].base: 'lots' is not a number" in capsys.readouterr().err


@pytest.mark.parametrize("out", ["", "   "])
def test_an_empty_out_is_refused(tmp_path, monkeypatch, capsys, out):
    # Before the fix --out "" silently wrote to the default folder.
    monkeypatch.chdir(tmp_path)
    for command in (["run", str(HAND)], ["sensitivity", str(RISK)]):
        assert main(command + ["--out", out]) == 2
        assert "--out" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


LONG = "a" * 300          # a file name longer than a file system allows (255 bytes on Linux)


@pytest.mark.parametrize("command, where, code, message", [
    (["run", str(HAND), "--no-charts", "--out"], LONG, 2, "cannot be used: File name too long (choose another --out)"),
    (["sensitivity", str(RISK), "--out"], f"{LONG}/x", 2, "cannot be used: File name too long"),
    (["run", str(HAND), "--no-charts", "--out"], "a-file/x", 2, "a-file is a file, not a folder (choose another --out)"),
    (["new"], LONG, 1, "File name too long; nothing was written"),
    (["new"], "a-file/starter", 1, "a-file is a file, not a folder; nothing was written"),
    (["import", str(Path(__file__).parents[1] / "docs" / "budget-book"), "--out"], f"{LONG}.yaml", 1,
     "File name too long; nothing was written"),
])
def test_an_output_path_the_system_cannot_take_is_refused(tmp_path, monkeypatch, capsys, command, where, code, message):
    # Before: a name longer than the system allows was "internal error: OSError: [Errno 36]" (exit 3),
    # and an --out inside a file said "cannot write outputs beside a-file/x: File exists".
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-file").write_text("not a folder\n")
    assert main(command + [where]) == code
    err = capsys.readouterr().err
    assert message in err and "internal error" not in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


@pytest.mark.skipif(sys.platform != "linux", reason="limits the address space with setrlimit")
def test_memory_stays_under_1_gib_for_any_input_up_to_50_mb(tmp_path):
    # Before the fix a file that is one 50 MB list grew past 7.5 GB in 300 s. Here the whole
    # process (Python, numpy, pydantic included) may not use more than 1 GiB of address space.
    import resource
    import subprocess

    files = {
        "list-50mb.yaml": "items:\n" + "- 1\n" * (50 * 2**20 // 4),           # refused by its size
        "list-9mb.yaml": "items:\n" + "- 1\n" * (9 * 2**20 // 4),             # refused at 100,000 values
        "text-9mb.yaml": "description: " + "x" * (9 * 2**20) + "\n",            # refused as too long a text
        "bomb.yaml": "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]\n" for n in range(1, 9)),
    }
    for name, body in files.items():
        (tmp_path / name).write_text(MINIMAL + body)

    def one_gib() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))

    done = subprocess.run([sys.executable, "-m", "mtfpmodel", "validate", *(str(tmp_path / n) for n in files)],
                          capture_output=True, text=True, preexec_fn=one_gib, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    assert "4 of 4 files invalid" in done.stderr
    for reason in ("too large for a scenario", "more than 100,000 values", "is too long (at most 10,000)",
                   "once its aliases (*name) are expanded"):
        assert reason in done.stderr


def test_a_negative_seed_is_refused_not_a_crash(tmp_path, capsys):
    # Before the fix: numpy's "expected non-negative integer", exit 3.
    out = str(tmp_path / "out")
    assert main(["montecarlo", str(RISK), "--out", out, "--draws", "100", "--set", "monte_carlo.seed=-1"]) == 1
    assert "monte_carlo.seed: -1 is out of range" in capsys.readouterr().err
    assert main(["montecarlo", str(RISK), "--out", out, "--draws", "100", "--seed", "-5"]) == 2
    assert "--seed -5 must be 0 or more" in capsys.readouterr().err


def test_an_argument_is_never_echoed_back_whole(capsys):
    assert main(["explain", str(HAND), "x" * 100_000]) == 2      # an unknown figure: a usage error
    err = capsys.readouterr().err
    assert len(err) < 1000 and "…" in err


def test_a_file_name_that_is_not_utf8_is_refused_before_any_output(tmp_path):
    # Before: `mtfp run` wrote the CSVs, then crashed writing report.html (UnicodeEncodeError:
    # surrogates not allowed), which names the scenario file.
    import subprocess

    path = os.fsencode(tmp_path) + b"/budget-\xa3.yaml"      # '£' saved by a Latin-1 system
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(MINIMAL)
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "mtfpmodel", "run", path, "--out", str(out)], capture_output=True,
                          timeout=120)
    assert done.returncode == 1, done.stderr
    assert done.stderr.decode("utf-8").startswith(
        f"error: {tmp_path}/budget-\\udca3.yaml: the file's name is not UTF-8 text, so the outputs that name it "
        "could not be saved (rename the file (letters such as £ or é typed again))\n")
    assert not out.exists()


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_terminal_that_cannot_show_pound_signs_gets_question_marks_not_a_crash(tmp_path, encoding):
    # Before: PYTHONIOENCODING=ascii made `mtfp run` stop with "internal error: UnicodeEncodeError"
    # at the first '—' or '£' of its table, after writing the CSV files but not the workbook.
    import subprocess

    done = subprocess.run([sys.executable, "-m", "mtfpmodel", "run", str(HAND), "--out", str(tmp_path / "o"),
                           "--no-charts"], capture_output=True, env={**os.environ, "PYTHONIOENCODING": encoding},
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert b"(?000)" in done.stdout or "(£000)".encode(encoding) in done.stdout
    assert (tmp_path / "o" / "mtfp.xlsx").exists() and (tmp_path / "o" / "report.html").exists()


@pytest.mark.parametrize("argv, message", [
    (["solve", str(HAND), "--by", "funding.council_tax.increase.core", "--target", "closing_reserves=1e300"],
     "--target: '1e300' is beyond ±1e15"),
    (["solve", str(HAND), "--by", "funding.council_tax.increase.core", "--target", "net_gap=nan"],
     "--target: 'nan' is not a finite number"),
    (["sensitivity", str(RISK), "--step", "1e400"], "--step: '1e400' is not a finite number"),
    (["sensitivity", str(RISK), "--step", "lots"], "--step: 'lots' is not a number or a percentage such as 1%"),
    (["sensitivity", str(RISK), "--top", "-3"], "--top -3 must be 0 or more"),
    (["explain", str(HAND), "summary.net_gap[2025/26]", "--depth", "-1"], "--depth -1 must be 0 or more"),
])
def test_a_number_an_option_cannot_use_is_named_for_what_is_wrong(tmp_path, capsys, argv, message):
    # Before: 1e300 and nan were "not a number" (they are numbers: too large, not finite), and a
    # negative --top or --depth was silently taken as 0.
    assert main(argv + (["--out", str(tmp_path / "o")] if argv[0] != "explain" else [])) == 2
    err = capsys.readouterr().err
    assert f"error: {message}" in err, err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("written, shown", [(r"\uffff", r"\uffff"), (r"\ufffe", r"\ufffe")])
def test_a_character_xml_cannot_hold_is_refused_where_it_is_written(tmp_path, capsys, written, shown):
    # Before: U+FFFE and U+FFFF (noncharacters, which XML 1.0 forbids) passed validation, and
    # `mtfp report` crashed writing report.docx (exit 3) after the HTML.
    path = tmp_path / "odd.yaml"
    path.write_text(MINIMAL.replace("scenario: hostile", f'scenario: hostile\ncouncil: "A{written}B"'), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    assert errors(capsys) == [f"error: {path}:2: council: text holds the character '{shown}', which cannot be "
                              "shown or saved (remove it; retype the text if it was pasted)"]


def test_a_set_value_that_is_not_utf8_is_refused_naming_set(tmp_path, capsys):
    # Before: an argument with a byte that is not UTF-8 (decoded as a lone surrogate) was
    # "--set ...: utf-8", the bare name of the codec that could not encode it.
    value = os.fsdecode(b"Budget \xa3")
    assert main(["run", str(HAND), "--out", str(tmp_path / "o"), "--set", f"expenditure[Adults].source={value}"]) == 2
    err = capsys.readouterr().err
    assert "error: --set expenditure[Adults].source: text holds the character '\\udca3', which cannot be shown" in err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("argv, prog", [(["run", str(HAND), "--seed", "3"], "mtfp run"),
                                        (["streams", str(HAND), "--bogus"], "mtfp streams"),
                                        (["--bogus"], "mtfp")])
def test_an_unknown_option_is_named_by_the_command_it_was_given_to(capsys, argv, prog):
    # Before: "mtfp: error: unrecognized arguments: --seed 3 (see 'mtfp --help')", whose help
    # does not list run's options.
    assert main(argv) == 2
    err = capsys.readouterr().err
    extra = " ".join(argv[2:] if len(argv) > 1 else argv)
    assert f"{prog}: error: unrecognized arguments: {extra} (see '{prog} --help')" in err, err
    assert err.startswith(f"usage: {prog} ")


def test_a_long_item_name_is_shortened_without_losing_the_field():
    # Found by an acceptance audit of issue 15: "expenditure[AAAA…: 'xxxx' is not a number" lost
    # '.base' (the whole path was cut at 120 characters). The names in brackets are cut instead.
    from mtfpmodel.scenario.errors import Problem

    text = str(Problem("'xxxx' is not a number", file="plan.yaml", line=9, path=f"expenditure[{'A' * 9000}].base"))
    assert text.startswith("plan.yaml:9: expenditure[AAAA") and "…].base: 'xxxx' is not a number" in text
    assert len(text) < 200
