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
the council's funding. The rise is within the referendum limit in a year when the sum of the
increase parts is at most the limit (:func:`above_limit`, the rule the warning uses too).

In real terms the table stays in cash — bills, their rises and the referendum test are set in
cash — and gains ``band_d_real`` [£] and ``council_tax_real`` [scenario unit], the same Band D
and council tax income at base-year prices (the deflated engine arrays).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Mapping

import numpy as np

from mtfpmodel.engine.parameters import Parameter, series_values
from mtfpmodel.engine.projection import Results
from mtfpmodel.results.real import RealTerms
from mtfpmodel.scenario.schema import Scenario, Source

if TYPE_CHECKING:       # pandas only where the table is built: the referendum check (warnings) needs none
    import pandas as pd

BAND_RATIOS = {"A": 6 / 9, "B": 7 / 9, "C": 8 / 9, "D": 9 / 9, "E": 11 / 9, "F": 13 / 9, "G": 15 / 9, "H": 18 / 9}
WEEKS = 52


def above_limit(increase, limit) -> np.ndarray:
    """Whether each year's total increase [fraction] is above the referendum limit (a tolerance of
    1e-12 so that parts adding up to the limit, 2.99% + 2%, are not read as above 4.99%)."""
    return np.asarray(increase, dtype=float) > np.asarray(limit, dtype=float) + 1e-12


def within_limit(table: pd.DataFrame) -> list[bool | None]:
    """From a council tax table: whether each year's rise is within the referendum limit (None in
    the base year, and every year when the scenario sets no limit)."""
    if "referendum_limit" not in table:
        return [None] * len(table)
    parts = [c for c in table.columns if c.startswith("increase_") and c.endswith("_pct")]
    increase = table[parts].sum(axis=1, min_count=1).to_numpy(dtype=float)
    limit = table["referendum_limit"].to_numpy(dtype=float)
    above = above_limit(np.nan_to_num(increase), np.nan_to_num(limit))
    return [None if np.isnan(limit[t]) else not bool(above[t]) for t in range(len(table))]


def council_tax_table(scenario: Scenario, results: Results, labels: tuple[str, ...],
                      params: Mapping[str, Parameter], real: RealTerms | None = None) -> pd.DataFrame:
    """council_tax.csv: one row per year, the base year first (its increases left blank)."""
    import pandas as pd

    if real is not None:
        table = council_tax_table(scenario, real.nominal, labels, params)
        table["band_d_real"] = results.band_d[0]
        table["council_tax_real"] = results.council_tax[0]
        return table
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
