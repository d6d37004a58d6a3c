"""Global sensitivity: Sobol first and total order indices over the Monte Carlo distributions.

Each uncertain input is one factor (a ``by_year`` input is one factor per year) and, when
savings delivery is drawn, each stream's delivery is another. ``scipy.stats.sobol_indices``
(Saltelli 2010 estimators on a scrambled Sobol' sample) takes the model's values at n(d + 2)
points, drawn as it would draw them; we project them in batched engine calls, a chunk of
points at a time. First order S_i: the share of the output's
variance explained by factor i alone; total order S_Ti: including all its interactions.
Factors are treated as independent (any ``correlation:`` is ignored here).

Outputs: the final-year net gap and the sum of the net gaps over the plan years [scenario unit].
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from mtfpmodel.analysis.batch import Batch, chunk_size, project_batch, spread
from mtfpmodel.analysis.distributions import ppf
from mtfpmodel.analysis.montecarlo import apply_draws, delivery
from mtfpmodel.analysis.paths import label
from mtfpmodel.engine.parameters import Parameter
from mtfpmodel.scenario.errors import AnalysisError
from mtfpmodel.scenario.riskconfig import MAX_DRAWS, MonteCarloConfig
from mtfpmodel.scenario.schema import Scenario

OUTPUTS = ("final_year_net_gap", "sum_of_net_gaps")
EDGE = 1e-12    # keep probabilities off 0 and 1, where a normal's inverse is infinite


@dataclass(frozen=True)
class SobolIndices:
    factors: tuple[str, ...]
    first_order: np.ndarray      # (2, d): rows as OUTPUTS
    total_order: np.ndarray      # (2, d)
    samples: int                 # model evaluations made

    def table(self) -> pd.DataFrame:
        """sobol.csv: factor, then first and total order for each output; sorted by total order
        of the final-year net gap."""
        data = {"factor": self.factors}
        for k, output in enumerate(OUTPUTS):
            data[f"first_order_{output}"] = self.first_order[k]
            data[f"total_order_{output}"] = self.total_order[k]
        frame = pd.DataFrame(data)
        return frame.sort_values(f"total_order_{OUTPUTS[0]}", ascending=False, kind="stable", ignore_index=True)


def factors(scenario: Scenario, config: MonteCarloConfig, labels: Sequence[str]) -> list[tuple[str, str, int | None]]:
    """(name, path or stream, year index or None) for each factor, in order."""
    out: list[tuple[str, str, int | None]] = []
    for path, dist in config.distributions.items():
        if dist.shock == "by_year":
            out += [(f"{label(path)} {labels[t + 1]}", path, t) for t in range(scenario.years)]
        else:
            out.append((label(path), path, None))
    if config.savings_delivery:
        out += [(f"delivery of {s.name}", s.name, None) for s in scenario.savings]
    return out


MAX_PROJECTIONS = MAX_DRAWS      # as many as the largest Monte Carlo: two minutes or so for a council-sized plan


def factor_count(scenario: Scenario, config: MonteCarloConfig) -> int:
    """How many factors :func:`factors` gives (without naming them)."""
    by_year = sum(scenario.years if dist.shock == "by_year" else 1 for dist in config.distributions.values())
    return by_year + (len(scenario.savings) if config.savings_delivery else 0)


def check_samples(scenario: Scenario, config: MonteCarloConfig, samples: int) -> None:
    """Raise AnalysisError if ``samples`` base points would make more than :data:`MAX_PROJECTIONS`
    projections (samples × (factors + 2)), naming the largest power of 2 that would not: the
    points and their evaluations are held in memory, and the run takes minutes per million."""
    d = factor_count(scenario, config)
    if samples * (d + 2) <= MAX_PROJECTIONS:
        return
    largest = 1 << max(0, (MAX_PROJECTIONS // (d + 2)).bit_length() - 1)
    raise AnalysisError(f"--sobol-samples {samples:,} would make {samples * (d + 2):,} projections ({samples:,} x "
                        f"({d:,} factors + 2)), more than the {MAX_PROJECTIONS:,} allowed; use --sobol-samples "
                        f"{largest} or fewer (512 to 1,024 is plenty to rank what drives the gap)")


def sobol(scenario: Scenario, params: Mapping[str, Parameter], config: MonteCarloConfig, labels: Sequence[str],
          samples: int = 1024, seed: int | None = None) -> SobolIndices:
    """Sobol indices from ``samples`` base points (a power of 2): samples * (d + 2) projections."""
    check_samples(scenario, config, samples)
    chosen = factors(scenario, config, labels)
    d = len(chosen)
    streams = [name for name, _, _ in chosen if name.startswith("delivery of ")]
    columns = {path: [i for i, (_, p, _) in enumerate(chosen) if p == path] for path in config.distributions}
    first_stream = d - len(streams)

    def model(x: np.ndarray) -> np.ndarray:
        u = np.clip(x, EDGE, 1 - EDGE)
        out = np.empty((len(OUTPUTS), u.shape[1]))
        size = chunk_size(scenario)
        for start in range(0, u.shape[1], size):
            part = u[:, start:start + size]
            n = part.shape[1]
            values = {}
            for path, cols in columns.items():
                drawn = ppf(config.distributions[path], part[cols].T)       # (n, 1 or T)
                values[path] = drawn[:, 0] if len(cols) == 1 else drawn
            batch = Batch(params, n)
            apply_draws(batch, config, values)
            stream_u = part[first_stream:].T if streams else np.zeros((n, len(scenario.savings)))
            overrides, multiplier = delivery(scenario, batch, config, stream_u)
            gap = spread(project_batch(scenario, params, overrides, multiplier).net_gap, n)
            out[0, start:start + n] = gap[:, -1]
            out[1, start:start + n] = gap[:, 1:].sum(axis=1)
        return out

    # The points scipy.stats.sobol_indices would choose and the order it would evaluate them in,
    # but not its (d, n·d) matrix AB of every point at once (3 GiB for a plan with 600 streams):
    # A and B are the first n points of a scrambled Sobol' sequence in 2d dimensions, and column
    # j·d + i of AB is A's point j with factor i taken from B; AB's columns are made and
    # projected a chunk at a time, and the evaluations handed to scipy.
    a, b = stats.qmc.Sobol(d=2 * d, bits=64, rng=np.random.default_rng(seed)).random(samples).T.reshape(2, d, -1)
    f_ab = np.empty((len(OUTPUTS), samples * d))
    size = chunk_size(scenario)
    for start in range(0, samples * d, size):
        point, factor = np.divmod(np.arange(start, min(start + size, samples * d)), d)
        columns_ab = a[:, point]
        columns_ab[factor, np.arange(point.size)] = b[factor, point]
        f_ab[:, start:start + point.size] = model(columns_ab)
    f_ab = np.moveaxis(f_ab.reshape(len(OUTPUTS), samples, d), -1, 0)          # (d, outputs, n), as scipy lays it out
    result = stats.sobol_indices(func={"f_A": model(a), "f_B": model(b), "f_AB": f_ab}, n=samples)
    first = np.atleast_2d(result.first_order).reshape(len(OUTPUTS), d)
    total = np.atleast_2d(result.total_order).reshape(len(OUTPUTS), d)
    return SobolIndices(tuple(name for name, _, _ in chosen), first, total, samples * (d + 2))
