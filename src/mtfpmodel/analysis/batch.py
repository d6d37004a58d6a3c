"""Per-draw input overrides and chunked projection: the one way every analysis runs the engine.

A :class:`Batch` starts every draw at the scenario's own values; ``set`` gives chosen draws a
value and ``add`` shifts them. ``overrides()`` turns that into the arrays ``build_inputs``
takes, keeping assumption references alive: a field that names an assumption (business rates
growing with ``prices``) follows that assumption in every draw where it is not set itself.

The engine's memory grows with draws × the plan's size, so draws are projected
:func:`chunk_size` at a time (:func:`project_chunks`; the Monte Carlo and Sobol chunk their own
sampling the same way): one engine call for the few dozen draws of a sensitivity run or the
thousands of a Monte Carlo chunk of a council-sized plan, and bounded memory for a plan of
thousands of lines or a grid of 201 × 201 values.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, Mapping

import numpy as np

from mtfpmodel.engine.inputs import build_inputs
from mtfpmodel.engine.parameters import Parameter, check_paths
from mtfpmodel.engine.projection import Results
from mtfpmodel.results.finite import project_named
from mtfpmodel.scenario.schema import Scenario


class Batch:
    """Override arrays for ``draws`` draws of a scenario's parameters ``params``."""

    def __init__(self, params: Mapping[str, Parameter], draws: int):
        self.params = params
        self.draws = draws
        self._paths: set[str] = set()
        self._value: dict[str, np.ndarray] = {}    # absolute values, where ``_mask`` says
        self._mask: dict[str, np.ndarray] = {}     # (D,) bool: draws given a value; absent = every draw
        self._delta: dict[str, np.ndarray] = {}    # shifts added on top

    def _shape(self, path: str) -> tuple[int, ...]:
        return (self.draws,) + self.params[path].value.shape

    def set(self, path: str, values, rows=slice(None)) -> "Batch":
        """Give draws ``rows`` the value(s) ``values`` (a scalar, (T,), or (rows, 1) / (rows, T))."""
        self._start(path)
        if rows == slice(None) and path not in self._value:
            self._value[path] = _fit(values, self._shape(path))      # every draw: no copy, no mask
            return self
        if path not in self._value:
            self._value[path] = np.zeros(self._shape(path))
            self._mask[path] = np.zeros(self.draws, dtype=bool)
        elif path not in self._mask:
            self._value[path] = np.array(self._value[path])
            self._mask[path] = np.ones(self.draws, dtype=bool)
        self._value[path][rows] = _fit(values, self._value[path][rows].shape)
        self._mask[path][rows] = True
        return self

    def add(self, path: str, delta, rows=slice(None)) -> "Batch":
        """Add ``delta`` (percentage points for a rate) to draws ``rows``."""
        self._start(path)
        if path not in self._delta:
            self._delta[path] = np.zeros(self._shape(path))
        self._delta[path][rows] += _fit(delta, self._delta[path][rows].shape)
        return self

    def _start(self, path: str) -> None:
        if path not in self._paths:
            check_paths(self.params, [path])
            self._paths.add(path)

    def overrides(self) -> dict[str, np.ndarray]:
        """Arrays for ``build_inputs``: (D,) for scalars, (D, T) for series."""
        out: dict[str, np.ndarray] = {}
        following: dict[str, np.ndarray] = {}       # every path whose value differs by draw
        for path, param in self.params.items():       # assumptions come first, in reference order
            follow = following.get(param.ref) if param.ref else None
            if path in self._paths:
                out[path] = following[path] = self._final(path, param, follow)
            elif follow is not None:
                following[path] = follow
        return out

    def _final(self, path: str, param: Parameter, follow: np.ndarray | None) -> np.ndarray:
        """Set values where given, else the followed assumption or the scenario's value; plus shifts."""
        base = follow if follow is not None else np.broadcast_to(param.value, self._shape(path))
        if path not in self._value:
            value = base
        elif path not in self._mask:
            value = self._value[path]
        else:
            mask = self._mask[path].reshape((-1,) + (1,) * param.value.ndim)
            value = np.where(mask, self._value[path], base)
        return value + self._delta[path] if path in self._delta else np.asarray(value)


def _fit(values, shape: tuple[int, ...]) -> np.ndarray:
    """Broadcast a scalar, a (T,) series, or (rows, 1) / (rows, T) values onto ``shape``."""
    return np.broadcast_to(np.asarray(values, dtype=float), shape)


CHUNK_BYTES = 50 * 2**20       # engine memory per call: fast and cache-friendly (~4,500 draws of the example)
MIN_CHUNK = 1_000              # draws per call at least, to spread the engine's fixed cost a call...
MAX_CHUNK_BYTES = 384 * 2**20  # ...unless that would take more memory than this (a plan of thousands of lines)
MAX_CHUNK = 50_000


def engine_bytes(scenario: Scenario) -> int:
    """Bytes the engine uses for each draw while projecting (rough, for sizing chunks)."""
    years = scenario.years + 1
    components = sum(len(line.cost_mix) for line in scenario.expenditure)
    groups = len(scenario.workforce.groups) if scenario.workforce else 0
    items = (4 * components + 8 * len(scenario.expenditure) + 2 * len(scenario.pressures)
             + 3 * (len(scenario.funding.grants) + 1) + 8 * len(scenario.savings) + 12 * groups
             + 6 * len(scenario.contracts) + 8 * len(scenario.capital_programme) + 40)
    return 8 * years * items


def chunk_size(scenario: Scenario) -> int:
    """Draws per engine call: :data:`CHUNK_BYTES` of them, from :data:`MIN_CHUNK` to :data:`MAX_CHUNK`
    draws, but never more than :data:`MAX_CHUNK_BYTES` of memory (at least one draw)."""
    per_draw = engine_bytes(scenario)
    fast = int(np.clip(CHUNK_BYTES // per_draw, MIN_CHUNK, MAX_CHUNK))
    return max(1, min(fast, MAX_CHUNK_BYTES // per_draw))


def project_chunks(scenario: Scenario, params: Mapping[str, Parameter], draws: int, fill: Callable[[Batch, int], None],
                   pick: Callable[[Results], np.ndarray] = lambda results: results.net_gap) -> np.ndarray:
    """``pick`` (by default the net gap) of ``draws`` draws, (draws, T+1), projected :func:`chunk_size`
    draws at a time. ``fill(batch, first)`` gives each chunk's :class:`Batch` its values: the
    batch's row i is draw ``first + i``, and it has ``batch.draws`` rows."""
    out = np.empty((draws, scenario.years + 1))
    size = chunk_size(scenario)
    for first in range(0, draws, size):
        batch = Batch(params, min(size, draws - first))
        fill(batch, first)
        values = pick(project_batch(scenario, params, batch.overrides()))
        out[first:first + batch.draws] = spread(values, batch.draws)
    return out


def project_batch(scenario: Scenario, params: Mapping[str, Parameter], overrides: Mapping[str, np.ndarray],
                  delivery: np.ndarray | None = None, received: np.ndarray | None = None) -> Results:
    """One engine call for every draw in ``overrides`` (and the stream ``delivery`` multipliers,
    and ``received``: 1 or 0 for each funding source, a grant drawn as lost)."""
    inputs = build_inputs(scenario, overrides, params)
    if delivery is not None:
        inputs = replace(inputs, delivery=delivery)
    if received is not None:
        inputs = replace(inputs, received=received)
    return project_named(scenario, inputs)


def spread(array: np.ndarray, draws: int) -> np.ndarray:
    """A result array whose draws axis is 1 (nothing varied it) repeated to ``draws``."""
    return np.broadcast_to(array, (draws,) + array.shape[1:])
