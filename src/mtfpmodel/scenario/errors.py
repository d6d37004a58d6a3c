"""Errors and warnings: one small hierarchy, every problem located in the scenario file.

A scenario with five mistakes gets five lines, each ``file:line: path.to.field: what is wrong
(hint)``. Third-party exceptions (yaml, pydantic) are translated into :class:`Problem` at the
boundary and never shown raw.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from mtfpmodel.scenario.limits import clip


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in a scenario, with where it is."""

    message: str
    file: str | None = None
    line: int | None = None
    path: str = ""
    hint: str = ""

    def __str__(self) -> str:
        """One line, each part cut short (a message never echoes a whole hostile value back)."""
        where = clip(self.file or "<scenario>", 200)
        if self.line:                   # lines count from 1: 0 marks a value from --set, which has none
            where = f"{where}:{self.line}"
        text = f"{where}: {short_path(self.path) + ': ' if self.path else ''}{clip(self.message, 300)}"
        if self.hint:
            text += f" ({clip(self.hint, 200)})"
        return text


def short_path(path: str, most: int = 120) -> str:
    """``path`` cut to about ``most`` characters by shortening the names in its brackets, so that
    the field at its end is never lost: 'expenditure[AAAA…].base', not 'expenditure[AAAA…'."""
    if len(path) <= most:
        return clip(path, most)
    parts = re.split(r"(\[[^\]]*\])", path)
    room = max(12, (most - sum(len(p) for p in parts if not p.startswith("["))) // max(1, path.count("[")))
    return clip("".join(f"[{clip(p[1:-1], room)}]" if p.startswith("[") else p for p in parts), most + 40)


class MtfpError(Exception):
    """Base class for errors that mtfpmodel reports to a person (exit code 1)."""


class ScenarioError(MtfpError):
    """A scenario is invalid. Carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(MtfpError):
    """The command line asks for something that cannot be done (exit code 2)."""


class AnalysisError(MtfpError):
    """An analysis (goal seek, Monte Carlo...) cannot produce an answer from valid input."""
