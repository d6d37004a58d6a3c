"""`mtfp new`: a commented starter that validates; never overwrites without --force."""
from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

import mtfpmodel
from mtfpmodel.cli import main
from mtfpmodel.scenario.schema_export import scenario_schema

ROOT = Path(__file__).parent.parent


def test_starter_validates_runs_and_is_commented(tmp_path, capsys):
    assert main(["new", str(tmp_path / "anytown")]) == 0
    path = tmp_path / "anytown.yaml"
    text = path.read_text(encoding="utf-8")
    result = mtfpmodel.run(path)
    assert result.scenario.scenario == "anytown"
    assert result.warnings == []                      # the starter's base year balances
    assert text.count("#") > 40                       # every key explained
    assert not list(jsonschema.Draft7Validator(scenario_schema()).iter_errors(yaml.safe_load(text)))


def test_refuses_to_overwrite_without_force(tmp_path, capsys):
    path = tmp_path / "mine.yaml"
    path.write_text("my own work\n", encoding="utf-8")
    assert main(["new", str(path)]) == 1
    assert "--force" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "my own work\n"
    assert main(["new", str(path), "--force"]) == 0
    assert mtfpmodel.load(path).scenario.scenario == "mine"


def test_from_copies_a_scenario_and_repoints_extends(tmp_path):
    source = ROOT / "tests" / "scenarios" / "movement" / "pay4.yaml"
    target = tmp_path / "elsewhere" / "pay-copy.yaml"
    assert main(["new", str(target), "--from", str(source)]) == 0
    text = target.read_text(encoding="utf-8")
    assert "# tests/test_movement.py" in text              # comments kept
    loaded = mtfpmodel.load(target)                        # extends still finds base.yaml
    assert loaded.scenario.scenario == "pay-copy"
    assert loaded.scenario.assumptions["pay"].value.values == (0.04,) * 4


def test_schema_line_points_at_the_nearest_schema(tmp_path):
    (tmp_path / "scenario.schema.json").write_text("{}", encoding="utf-8")
    assert main(["new", str(tmp_path / "plans" / "draft")]) == 0
    first = (tmp_path / "plans" / "draft.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../scenario.schema.json"


@pytest.mark.parametrize("name", ["/", ".", "/.", "..", "drafts/"])
def test_a_folder_for_a_name_is_a_usage_error(tmp_path, monkeypatch, capsys, name):
    # Before: `mtfp new /` and `mtfp new .` were "internal error: ValueError: ... has an empty name" (exit 3).
    monkeypatch.chdir(tmp_path)
    assert main(["new", name]) == 2
    err = capsys.readouterr().err
    assert "is a folder: give a file name in it" in err and "internal error" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["a\\b", "\\g<0>", "x\\u0041", 'the "pay 4%" plan'])
def test_a_name_with_backslashes_or_quotes_is_the_scenario_name_exactly(tmp_path, monkeypatch, name):
    # Before: the name went into re.sub as a template, so 'a\b' became a backspace (a file validate
    # refused), '\g<0>' wrote a file that was not YAML and 'x\u0041' crashed (internal error, exit 3).
    monkeypatch.chdir(tmp_path)
    assert main(["new", name]) == 0
    assert mtfpmodel.load(f"{name}.yaml").scenario.scenario == name
    assert main(["validate", f"{name}.yaml"]) == 0


@pytest.mark.parametrize("name, said", [("o\x01ctl", "control character '\\x01'"), ("ta\tb", "holds a tab"),
                                        ("new\nline", "holds a line break"), ("\x1b[31mred", "'\\x1b'")])
def test_a_name_that_cannot_be_a_scenario_name_is_refused_before_anything_is_written(tmp_path, monkeypatch,
                                                                                      capsys, name, said):
    monkeypatch.chdir(tmp_path)
    assert main(["new", name]) == 2
    err = capsys.readouterr().err
    assert "the file's name is the scenario's name" in err and said in err and "internal error" not in err
    assert list(tmp_path.iterdir()) == []


def _one_gib() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))


def test_a_from_that_is_not_a_readable_scenario_file_is_an_error_naming_it(tmp_path, monkeypatch):
    # Before: /dev/zero was read until memory ran out, a pipe hung, a link loop or a name too long
    # was an internal error. Now each is refused the way a scenario file is, and nothing is written.
    monkeypatch.chdir(tmp_path)
    Path("link-a.yaml").symlink_to("link-b.yaml")
    Path("link-b.yaml").symlink_to("link-a.yaml")
    os.mkfifo("pipe.yaml")
    cases = {"/dev/zero": "is not a regular file", "pipe.yaml": "is not a regular file",
             "link-a.yaml": "cannot be opened (Too many levels of symbolic links)",
             "x" * 300 + ".yaml": "cannot be opened (File name too long)", "nothere.yaml": "file not found",
             ".": "is a folder, not a scenario file"}
    for source, said in cases.items():      # each in its own process, memory and time bounded: a
        done = subprocess.run([sys.executable, "-m", "mtfpmodel", "new", "copy", "--from", source],   # regression
                              capture_output=True, text=True, timeout=60, preexec_fn=_one_gib)       # fails, not hangs
        assert done.returncode == 1, (source, done.stderr)
        assert said in done.stderr and "internal error" not in done.stderr, done.stderr
    assert not Path("copy.yaml").exists()


def test_a_copy_of_a_scenario_whose_extends_loops_is_written_for_validate_to_report(tmp_path, monkeypatch, capsys):
    # Before: re-pointing the extends line resolved the link loop and crashed (RuntimeError, exit 3).
    monkeypatch.chdir(tmp_path)
    Path("link-a.yaml").symlink_to("link-b.yaml")
    Path("link-b.yaml").symlink_to("link-a.yaml")
    Path("case.yaml").write_text("extends: link-a.yaml\nscenario: case\n", encoding="utf-8")
    assert main(["new", "copy", "--from", "case.yaml"]) == 0
    assert Path("copy.yaml").read_text(encoding="utf-8").startswith("extends: link-a.yaml\n")
    assert main(["validate", "copy.yaml"]) == 1
    assert "a link that loops back on itself" in capsys.readouterr().err
