"""Addressable parameters (spec §10) and their draws axis."""
from __future__ import annotations

import numpy as np
import pytest
from conftest import SCENARIOS

import mtfpmodel
from mtfpmodel.engine import parameters as P
from mtfpmodel.scenario.errors import UsageError

SCENARIO = mtfpmodel.load(SCENARIOS / "streams.yaml").scenario
PARAMS = P.collect(SCENARIO)


def test_spec_paths_are_addressable():
    for path in ("assumptions.energy", "expenditure[Back office].demand", "expenditure[Street lighting].base",
                 "funding.council_tax.tax_base_growth", "reserves.opening", "savings[LED].reduction",
                 "savings[LED].capital.interest_rate", "savings[Homes].volume", "savings[Fees].confidence"):
        assert path in PARAMS
    assert PARAMS["savings[LED].phasing"].value.tolist() == [0.5, 1, 1, 1]
    assert PARAMS["savings[Homes].unit_cost_growth"].ref == "assumptions.care_fees"


def test_resolve_shapes():
    values = P.resolve(PARAMS, {"assumptions.energy": np.zeros((3, 4)), "reserves.opening": [1, 2, 3]})
    assert values["assumptions.energy"].shape == (3, 4)
    assert values["reserves.opening"].shape == (3,)
    assert values["assumptions.prices"].shape == (1, 4)
    assert values["savings[LED].reduction"].shape == (1,)


def test_a_field_naming_an_assumption_follows_its_override():
    values = P.resolve(PARAMS, {"assumptions.care_fees": 0.1})
    assert values["savings[Homes].unit_cost_growth"].tolist() == [[0.1] * 4]
    # unless it is overridden itself
    values = P.resolve(PARAMS, {"assumptions.care_fees": 0.1, "savings[Homes].unit_cost_growth": 0.0})
    assert values["savings[Homes].unit_cost_growth"].tolist() == [[0.0] * 4]


def test_unknown_path_names_the_closest():
    with pytest.raises(UsageError, match=r"unknown path 'assumptions.enrgy' \(did you mean 'assumptions.energy'\?\)"):
        P.resolve(PARAMS, {"assumptions.enrgy": 0.1})


def test_wrong_shapes_are_usage_errors():
    with pytest.raises(UsageError, match="a series takes shape"):
        P.resolve(PARAMS, {"assumptions.energy": np.zeros(3)})
    with pytest.raises(UsageError, match="a scalar takes one value per draw"):
        P.resolve(PARAMS, {"reserves.opening": np.zeros((2, 2))})
