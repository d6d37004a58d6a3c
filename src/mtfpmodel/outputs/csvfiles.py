"""CSV outputs of ``mtfp run``: full precision, no rounding."""
from __future__ import annotations

from mtfpmodel.outputs.outdir import Staging
from mtfpmodel.results.gaptable import gap_table
from mtfpmodel.results.result import Result


def write_csvs(result: Result, staging: Staging) -> list[str]:
    """Write summary, lines, funding, savings, streams and gap_table CSVs — and workforce and contracts
    when the scenario has those blocks; return the file names."""
    tables = {
        "summary.csv": result.summary, "lines.csv": result.lines, "funding.csv": result.funding,
        "savings.csv": result.savings, "streams.csv": result.streams, "gap_table.csv": gap_table(result),
    }
    if result.scenario.workforce is not None:
        tables["workforce.csv"] = result.workforce
    if result.scenario.contracts:
        tables["contracts.csv"] = result.contracts
    for name, frame in tables.items():
        frame.to_csv(staging.path(name), index=False, float_format="%.17g")
    return list(tables)
