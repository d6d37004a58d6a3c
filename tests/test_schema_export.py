"""The JSON Schema and key reference (mtfpmodel.scenario.schema_export, `mtfp schema`).

Schema and loader must agree on files whose mistakes are about one value's shape. Checks that
need the whole file are the loader's alone and are not expected of the schema: a savings
stream or cost mix naming a line or assumption that does not exist, a list with the wrong
number of years, cost-mix shares that do not add to 100%, names used twice, a year mapping
that misses the first year, numbers written as text ("1,000").
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from mtfpmodel.scenario.errors import ScenarioError
from mtfpmodel.scenario.loader import validate
from mtfpmodel.scenario.schema_export import (
    reference_markdown,
    scenario_schema,
    schema_json,
)
from mtfpmodel.scenario.yamlfile import Where

ROOT = Path(__file__).parent.parent
EXAMPLES = sorted((ROOT / "scenarios").glob("*.yaml"))
VALIDATOR = jsonschema.Draft7Validator(scenario_schema())
HAND = yaml.safe_load((Path(__file__).parent / "scenarios" / "streams.yaml").read_text(encoding="utf-8"))


def _schema_ok(data) -> bool:
    return not list(VALIDATOR.iter_errors(data))


def _loader_ok(data) -> bool:
    try:
        validate(copy.deepcopy(data), Where("test", 0), Path("test.yaml"))
    except ScenarioError:
        return False
    return True


def test_schema_is_a_valid_draft7_schema():
    jsonschema.Draft7Validator.check_schema(scenario_schema())


def test_committed_schema_and_reference_are_up_to_date():
    """Regenerate with: mtfp schema > scenario.schema.json; mtfp schema --markdown > docs/reference.md"""
    assert (ROOT / "scenario.schema.json").read_text(encoding="utf-8") == schema_json()
    assert (ROOT / "docs" / "reference.md").read_text(encoding="utf-8") == reference_markdown()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_validates_against_the_schema_and_points_at_it(path):
    text = path.read_text(encoding="utf-8")
    errors = [f"{'.'.join(map(str, e.path))}: {e.message}" for e in VALIDATOR.iter_errors(yaml.safe_load(text))]
    assert errors == []
    assert text.startswith("# yaml-language-server: $schema=../scenario.schema.json")


def test_every_key_has_a_description():
    missing = []
    schema = scenario_schema()
    for name, model in schema["$defs"].items():
        for key, prop in model.get("properties", {}).items():
            if not prop.get("description"):
                missing.append(f"{name}.{key}")
    assert missing == []


def _mutate(change):
    data = copy.deepcopy(HAND)
    change(data)
    return data


VALID = {
    "as written": lambda d: None,
    "assumption as a bare list": lambda d: d["assumptions"].update(prices=["2%", "2%", "2%", "2%"]),
    "rate by year": lambda d: d["assumptions"].update(energy={"2025/26": "10%", "2027/28": "0%"}),
    "rate as a fraction": lambda d: d["assumptions"].update(energy=0.1),
    "units in £m": lambda d: d.update(units="£m"),
    "minimum as a share": lambda d: d["reserves"].update(minimum="5%"),
    "confidence as a share": lambda d: d["savings"][0].update(confidence="80%"),
    "category": lambda d: d["savings"][0].update(category="Income"),
}
INVALID = {
    "missing scenario": lambda d: d.pop("scenario"),
    "missing funding": lambda d: d.pop("funding"),
    "unknown top-level key": lambda d: d.update(expendture=[]),
    "unknown key in a line": lambda d: d["expenditure"][0].update(budget=5),
    "text for a number": lambda d: d["expenditure"][0].update(base="a lot"),
    "rate above 100% as a bare number": lambda d: d["assumptions"].update(prices=3),
    "unknown stream kind": lambda d: d["savings"][0].update(kind="magic"),
    "negative tax base": lambda d: d["funding"]["council_tax"].update(tax_base=-5),
    "zero years": lambda d: d.update(years=0),
    "unknown units": lambda d: d.update(units="$"),
    "unknown funded_by": lambda d: d["savings"][0].update(funded_by="bank"),
    "unknown RAG word": lambda d: d["savings"][0].update(confidence="purple"),
    "capital without life": lambda d: d["savings"][2]["capital"].pop("life"),
    "recurring not true/false": lambda d: d["savings"][0].update(recurring="sometimes"),
    "negative volume": lambda d: d["savings"][4].update(volume=-1),
    "rate year key misspelt": lambda d: d["assumptions"].update(energy={"2025-26": "10%"}),
}


@pytest.mark.parametrize("name", list(VALID))
def test_schema_and_loader_accept_the_same_valid_files(name):
    data = _mutate(VALID[name])
    assert (_schema_ok(data), _loader_ok(data)) == (True, True)


@pytest.mark.parametrize("name", list(INVALID))
def test_schema_and_loader_reject_the_same_invalid_files(name):
    data = _mutate(INVALID[name])
    assert (_schema_ok(data), _loader_ok(data)) == (False, False)


def test_a_partial_file_that_extends_another_is_accepted():
    child = {"extends": "base.yaml", "assumptions": {"pay": "4%"},
             "funding": {"council_tax": {"increase": {"core": "4.99%"}}},
             "savings": [{"name": "Fees", "remove": True}, {"name": "LED", "reduction": "50%"}]}
    assert _schema_ok(child)
    assert not _schema_ok({**child, "fundin": {}})
    assert not _schema_ok({"assumptions": {"pay": "4%"}})   # without extends, required keys apply


def test_cli_prints_schema_and_markdown(capsys):
    from mtfpmodel.cli import main

    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "mtfpmodel scenario"
    assert main(["schema", "--markdown"]) == 0
    assert capsys.readouterr().out.startswith("# Scenario file reference")
