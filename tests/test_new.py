"""`mtfp new`: a commented starter that validates; never overwrites without --force."""
from __future__ import annotations

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
