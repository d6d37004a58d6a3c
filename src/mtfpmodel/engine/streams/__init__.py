"""Savings stream kinds, picked from a table by ``kind:`` (one module per kind, same name).

Lives here: what each kind computes from its compiled inputs. May import: engine, scenario.
"""
from __future__ import annotations

from types import ModuleType

from mtfpmodel.engine.streams import fixed, share_of_line, unit_cost

KINDS: dict[str, ModuleType] = {
    "fixed": fixed,
    "share_of_line": share_of_line,
    "unit_cost": unit_cost,
}
