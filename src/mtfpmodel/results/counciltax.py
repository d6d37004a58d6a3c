"""The council tax table (``council_tax.csv``): tax base, Band D by part, the bill by band.

One row per year t = 0..T, from the engine's tax base and Band D (draw 0), in pounds where a
column is a charge and in the scenario unit where it is income:

    band_d_brought_forward[t] = band_d[t-1]                                   [£]
    increase_<part>[t]        = band_d[t-1] * increase_<part>_pct[t]          [£]  (core, adult_social_care...)
    band_d_increase[t]        = band_d[t] - band_d[t-1]                       [£ a year]
    band_d_increase_per_week  = band_d_increase / 52                          [£ a week]
    yield[t]                  = tax_base[t] * band_d[t] / unit                [scenario unit]
    council_tax[t]            = yield[t] + collection_fund[t]                 [scenario unit]
    band_<X>[t]               = band_d[t] * ratio[X]   (A 6/9, B 7/9, C 8/9, D 9/9, E 11/9, F 13/9, G 15/9, H 18/9)
    parish_band_d[t]          = parish_precepts[t] * unit / tax_base[t]       [£], for information

Parish precepts are the parishes' money, collected with council tax: shown, never counted in
the council's funding.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from mtfpmodel.engine.parameters import Parameter, series_values
from mtfpmodel.engine.projection import Results
from mtfpmodel.scenario.schema import Scenario, Source

BAND_RATIOS = {"A": 6 / 9, "B": 7 / 9, "C": 8 / 9, "D": 9 / 9, "E": 11 / 9, "F": 13 / 9, "G": 15 / 9, "H": 18 / 9}
WEEKS = 52


def council_tax_table(scenario: Scenario, results: Results, labels: tuple[str, ...],
                      params: Mapping[str, Parameter]) -> pd.DataFrame:
    """council_tax.csv: one row per year, the base year first (its increases left blank)."""
    T = scenario.years
    tax = scenario.funding.council_tax
    base, band_d = results.tax_base[0], results.band_d[0]
    before = np.concatenate([[np.nan], band_d[:-1]])
    data: dict[str, object] = {"year": list(labels), "tax_base": base, "band_d_brought_forward": before}
    for part in tax.increase:
        rate = np.concatenate([[np.nan], params[f"funding.council_tax.increase.{part}"].value])
        data[f"increase_{part}"] = before * rate
        data[f"increase_{part}_pct"] = rate
    data["band_d"] = band_d
    rise = band_d - before
    data["band_d_increase"] = rise
    data["band_d_increase_per_week"] = rise / WEEKS
    data["band_d_increase_pct"] = band_d / before - 1.0
    data["band_a_increase_per_week"] = rise * BAND_RATIOS["A"] / WEEKS
    if tax.referendum_limit is not None:
        data["referendum_limit"] = np.concatenate([[np.nan], series_values(tax.referendum_limit, params, T)])
    data["yield"] = base * band_d / scenario.unit
    data["collection_fund"] = np.concatenate([[0.0], series_values(tax.collection_fund, params, T)])
    data["council_tax"] = results.council_tax[0]
    for band, ratio in BAND_RATIOS.items():
        if band != "D":                              # band_d is the column above
            data[f"band_{band.lower()}"] = band_d * ratio
    if tax.parish_precepts is not None:
        precepts = source_values(tax.parish_precepts, params, T)
        data["parish_precepts"] = precepts
        data["parish_band_d"] = precepts * scenario.unit / base
    return pd.DataFrame(data)


def source_values(source: Source, params: Mapping[str, Parameter], T: int) -> np.ndarray:
    """A source outside the plan (parish precepts) by year t = 0..T: grown from its base or as given."""
    base = source.base or 0.0
    if source.values is not None:
        return np.concatenate([[base], series_values(source.values, params, T)])
    growth = series_values(source.growth, params, T) if source.growth is not None else np.zeros(T)
    return base * np.concatenate([[1.0], np.cumprod(1.0 + growth)])
