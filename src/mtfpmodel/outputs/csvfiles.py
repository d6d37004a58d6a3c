"""CSV files: full precision, no rounding, every number at its shortest exact form.

Every CSV the tool writes goes through :func:`write_csv`: a float is written as Python's
``repr`` of it (the shortest text that reads back as exactly the same number: ``0.7``, not
``0.69999999999999996``), negative zero as ``0.0`` and a missing value as an empty cell.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from mtfpmodel.outputs.outdir import Staging
from mtfpmodel.results.result import Result


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` to ``path`` without its index, floats at their shortest exact form."""
    frame.pipe(_no_negative_zero).to_csv(path, index=False)


def _no_negative_zero(frame: pd.DataFrame) -> pd.DataFrame:
    """-0.0 + 0.0 is 0.0 and every other value is unchanged; mixed columns keep their ints."""
    floats = frame.select_dtypes(include="float").columns
    mixed = [c for c in frame.columns if frame[c].dtype == object]
    if len(floats) == 0 and len(mixed) == 0:
        return frame
    out = frame.copy()
    out[floats] = out[floats] + 0.0
    for column in mixed:
        out[column] = out[column].map(lambda v: v + 0.0 if isinstance(v, float) else v)
    return out


TABLES = ("summary", "lines", "funding", "savings", "streams", "gap_table", "reserves", "council_tax", "workforce",
          "contracts", "capital")    # the files of write_csvs, the last three only for a plan with those blocks


def run_csv_names() -> list[str]:
    """Every CSV file ``mtfp run`` may write: each of :data:`TABLES`, in cash and in real terms."""
    return [f"{name}{suffix}.csv" for suffix in ("", "_real") for name in TABLES]


def write_csvs(result: Result, staging: Staging, suffix: str = "") -> list[str]:
    """Write summary, lines, funding, savings, streams, gap_table, reserves and council_tax CSVs (and
    workforce.csv, contracts.csv and capital.csv when the plan has those blocks); return the file
    names. ``suffix`` names a variant: a Result in real terms is written as summary_real.csv,
    lines_real.csv... with ``suffix="_real"``."""
    tables = {
        "summary": result.summary, "lines": result.lines, "funding": result.funding,
        "savings": result.savings, "streams": result.streams, "gap_table": result.gap_table,
        "reserves": result.reserves, "council_tax": result.council_tax,
    }
    if result.scenario.workforce is not None:
        tables["workforce"] = result.workforce
    if result.scenario.contracts:
        tables["contracts"] = result.contracts
    if result.has_capital:
        tables["capital"] = result.capital
    names = []
    for name, frame in tables.items():
        names.append(f"{name}{suffix}.csv")
        write_csv(frame, staging.path(names[-1]))
    return names
