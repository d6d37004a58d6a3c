"""What a section of the pack is built from: the run, the charts drawn for it and, for
``mtfp report``, the analyses (:class:`mtfpmodel.analysis.cabinet.Cabinet`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mtfpmodel.outputs.pack.content import Table, paged
from mtfpmodel.results.result import Result
from mtfpmodel.scenario.units import figure

if TYPE_CHECKING:       # the analyses (and scipy) are loaded only by the commands that run them
    from mtfpmodel.analysis.cabinet import Cabinet


@dataclass(frozen=True)
class Context:
    """``result`` is the plan as the pack shows it: in cash, or at base-year prices (``mtfp report
    --real``, a Result from ``in_real_terms``); ``cash`` is the same plan in cash, which the
    analyses (sensitivity, scenarios, risk, options) were run on and which their pages show."""

    result: Result
    charts: dict[str, Path] = field(default_factory=dict)     # chart name → its PNG, if drawn
    cabinet: "Cabinet | None" = None
    cash: Result | None = None
    landscape: bool = False     # the pack is set on landscape A4 (a first build found a table beyond dense)

    @property
    def unit(self) -> str:
        """The money unit, for arithmetic and rounding ('£000')."""
        return self.result.units

    @property
    def label(self) -> str:
        """The money unit as the plan's tables head it: '£000', or '£000, 2024/25 prices'."""
        return self.result.unit_label

    @property
    def cash_label(self) -> str:
        """The money unit as the analysis pages head it: '£000', or '£000, cash' in a real-terms pack."""
        return f"{self.unit}, cash" if self.result.real else self.unit

    @property
    def nominal(self) -> Result:
        """The plan in cash (the analyses' own plan)."""
        return self.cash if self.cash is not None else self.result

    @property
    def years(self) -> list[str]:
        return list(self.result.labels[1:])

    def paged(self, id: str, header: tuple[str, ...], blocks, **options) -> list[Table]:
        """:func:`~.content.paged`, sized for this pack's pages (portrait, or landscape)."""
        return paged(id, header, blocks, landscape=self.landscape, **options)

    def cells(self, values) -> list[str]:
        """Table figures in the scenario unit: thousands separators, brackets for negatives."""
        return [figure(float(v), 1 if self.unit == "£m" else 0) for v in values]
