"""What a section of the pack is built from: the run, the charts drawn for it and, for
``mtfp report``, the analyses (:class:`mtfpmodel.analysis.cabinet.Cabinet`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mtfpmodel.results.result import Result
from mtfpmodel.scenario.units import figure

if TYPE_CHECKING:       # the analyses (and scipy) are loaded only by the commands that run them
    from mtfpmodel.analysis.cabinet import Cabinet


@dataclass(frozen=True)
class Context:
    result: Result
    charts: dict[str, Path] = field(default_factory=dict)     # chart name → its PNG, if drawn
    cabinet: "Cabinet | None" = None

    @property
    def unit(self) -> str:
        return self.result.units

    @property
    def years(self) -> list[str]:
        return list(self.result.labels[1:])

    def cells(self, values) -> list[str]:
        """Table figures in the scenario unit: thousands separators, brackets for negatives."""
        return [figure(float(v), 1 if self.unit == "£m" else 0) for v in values]
