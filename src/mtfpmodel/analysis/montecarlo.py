"""Monte Carlo: thousands of plausible plans from the ``monte_carlo:`` block, in a few batched calls.

Each draw samples every uncertain input (through the Gaussian copula, see
:mod:`.distributions`) and, when ``savings_delivery`` is on, whether each savings stream is
delivered (probability = its confidence) or slips (it then delivers ``slippage.delivers`` of
its saving, its delivery profile ``slippage.delay_years`` later). With ``grant_loss`` on, each
indicative or assumed grant is received with probability equal to its certainty share and is
otherwise lost (0 in every projection year). Draws are sampled and projected in chunks
(:func:`~mtfpmodel.analysis.batch.chunk_size`: thousands of draws of a council-sized plan, fewer
of a very large one), one engine call each; only the net gap, closing and minimum reserves and the
unfunded gap of each draw are kept. All money in the scenario unit.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Callable, Mapping, Protocol

import numpy as np

from mtfpmodel.analysis.batch import Batch, chunk_size, project_batch, spread
from mtfpmodel.analysis.distributions import from_normal, normal_scores
from mtfpmodel.analysis.paths import correlation_matrix
from mtfpmodel.engine.parameters import Parameter, funding_sources
from mtfpmodel.engine.projection import Results
from mtfpmodel.scenario.errors import AnalysisError
from mtfpmodel.scenario.riskconfig import MonteCarloConfig, check_draws_fit
from mtfpmodel.scenario.schema import Scenario

if TYPE_CHECKING:           # the tables are built only where they are written: pandas is imported there
    import pandas as pd

PROFILE = {"fixed": "saving", "share_of_line": "phasing", "unit_cost": "volume"}   # moved later when slipped
KEPT = ("net_gap", "closing_reserves", "minimum_reserves", "unfunded_gap")


def check_draws(scenario: Scenario, draws: int) -> int:
    """Raise AnalysisError unless 1 <= draws <= :func:`~mtfpmodel.scenario.riskconfig.max_draws`
    for the plan's years, saying what a larger run would need."""
    if draws <= 0:
        raise AnalysisError(f"draws must be at least 1, not {draws:,}")
    return check_draws_fit(scenario, draws)


def apply_draws(batch: Batch, config: MonteCarloConfig, values: Mapping[str, np.ndarray]) -> None:
    """Put each path's drawn values ((n,) persistent or (n, T) by year) into ``batch``."""
    for path, drawn in values.items():
        param = batch.params[path]
        drawn = drawn[:, None] if param.is_series and drawn.ndim == 1 else drawn
        if config.distributions[path].apply == "shift":
            batch.add(path, drawn)
        else:
            batch.set(path, drawn)


def delivery(scenario: Scenario, batch: Batch, config: MonteCarloConfig, u: np.ndarray
             ) -> tuple[dict[str, np.ndarray], np.ndarray | None]:
    """Overrides and the (n, N, 1) delivery multiplier for stream draws ``u`` (n, N) uniform.

    A stream is delivered when u < its confidence (in that draw); otherwise it slips.
    """
    streams = scenario.savings
    if not (config.savings_delivery and streams):
        return batch.overrides(), None
    delay = config.slippage.delay_years
    profiles = {s.name: f"savings[{s.name}].{PROFILE[s.kind]}" for s in streams if s.kind in PROFILE and delay}
    for path in profiles.values():
        batch.add(path, 0.0)                 # brings the profile into the overrides, references resolved
    overrides = batch.overrides()
    slipped = np.empty(u.shape, dtype=bool)
    for n, stream in enumerate(streams):
        path = f"savings[{stream.name}].confidence"
        confidence = overrides.get(path, batch.params[path].value)
        slipped[:, n] = u[:, n] >= confidence
        if stream.name in profiles:
            profile = overrides[profiles[stream.name]]
            later = np.zeros_like(profile)
            later[:, delay:] = profile[:, :-delay] if delay < profile.shape[1] else 0.0
            overrides[profiles[stream.name]] = np.where(slipped[:, n, None], later, profile)
    return overrides, np.where(slipped, config.slippage.delivers, 1.0)[:, :, None]


def grant_loss(scenario: Scenario, params: Mapping[str, Parameter], overrides: Mapping[str, np.ndarray],
               config: MonteCarloConfig, u: np.ndarray) -> np.ndarray | None:
    """(n, S) 1 where a funding source is received, 0 where a grant is drawn as lost: lost when
    u >= its certainty share (so a confirmed grant, share 100%, is never lost). None when off.

    A drawn certainty share is read from ``overrides`` (those :func:`delivery` returned: it changes
    only savings profiles); otherwise the share is the scenario's own (``params``)."""
    if not config.grant_loss or not scenario.funding.grants:
        return None
    received = np.ones((u.shape[0], len(funding_sources(scenario))))
    offset = 1 if scenario.funding.business_rates is not None else 0
    for g, grant in enumerate(scenario.funding.grants):
        path = f"funding.grants[{grant.name}].certainty"
        share = np.broadcast_to(overrides.get(path, params[path].value), (u.shape[0],))
        received[:, offset + g] = u[:, g] < share
    return received


@dataclass(frozen=True)
class Simulation:
    """Every draw's net gap, closing and minimum reserves and unfunded gap, (D, T+1) [scenario unit]."""

    seed: int
    net_gap: np.ndarray
    closing_reserves: np.ndarray
    minimum_reserves: np.ndarray
    balances: np.ndarray            # (D,) bool: no year unbalanced or with reserves exhausted
    unfunded_gap: np.ndarray

    @property
    def draws(self) -> int:
        return self.net_gap.shape[0]


def sample(scenario: Scenario, params: Mapping[str, Parameter], config: MonteCarloConfig,
           rng: np.random.Generator, draws: int) -> tuple[dict[str, np.ndarray], np.ndarray | None, np.ndarray | None]:
    """Overrides, stream delivery multipliers and grants received for ``draws`` new draws from ``rng``."""
    paths = list(config.distributions)
    dists = [config.distributions[p] for p in paths]
    scores = normal_scores(rng, draws, scenario.years, correlation_matrix(config),
                           [d.shock == "by_year" for d in dists])
    batch = Batch(params, draws)
    apply_draws(batch, config, {p: from_normal(d, z) for p, d, z in zip(paths, dists, scores)})
    overrides, multiplier = delivery(scenario, batch, config, rng.random((draws, len(scenario.savings))))
    received = grant_loss(scenario, params, overrides, config, rng.random((draws, len(scenario.funding.grants)))) \
        if config.grant_loss else None
    return overrides, multiplier, received


class Helper(Protocol):
    """Another process that can project some of the chunks (see outputs.parallel.Background)."""

    def has_room(self, waiting: int = 0) -> bool: ...
    def ask(self, task: Callable[[], object]) -> None: ...
    def answers(self, wait: bool = False) -> list[object]: ...


def simulate(scenario: Scenario, params: Mapping[str, Parameter], config: MonteCarloConfig, draws: int,
             seed: int | None = None, progress: Callable[[int, int], None] | None = None,
             helper: Helper | None = None) -> Simulation:
    """Run ``draws`` simulated plans; the same seed gives exactly the same draws.

    Every chunk's draws are sampled here, in order; a ``helper`` with room for more work is handed
    the projection of the next chunk (its sampled inputs with it), so the figures are the same
    whoever projects which chunk. It is kept one chunk ahead (one waiting while it projects
    another), so it never sits idle until this process has finished a chunk of its own, except
    for the last chunk, which it is handed only when it has nothing else to do (else this process
    could wait on two of its chunks at the end).
    """
    check_draws(scenario, draws)
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % 2**32)
    rng = np.random.default_rng(seed)
    T = scenario.years
    kept = {name: np.empty((draws, T + 1)) for name in KEPT}
    kept["balances"] = np.empty(draws, dtype=bool)
    size = chunk_size(scenario)
    given: deque[slice] = deque()          # chunks the helper is projecting, in the order given
    done = 0

    def keep(rows: slice, part: Mapping[str, np.ndarray]) -> None:
        nonlocal done
        for name, array in kept.items():
            array[rows] = part[name]
        done += rows.stop - rows.start

    for start in range(0, draws, size):
        rows = slice(start, min(start + size, draws))
        n = rows.stop - start
        inputs = sample(scenario, params, config, rng, n)
        if helper is not None and helper.has_room(waiting=0 if rows.stop == draws else 1):
            helper.ask(partial(project_kept, scenario, params, n, *inputs))
            given.append(rows)
        else:
            # ``results`` is held until the next chunk is projected: freed at once, the memory of a
            # projection would go back to the system, to be faulted in again for the next.
            results = project_batch(scenario, params, *inputs)
            keep(rows, kept_figures(results, n))
        for part in helper.answers() if helper is not None else ():
            keep(given.popleft(), part)
        if progress and done < draws:
            progress(done, draws)
    for part in helper.answers(wait=True) if given else ():
        keep(given.popleft(), part)
    if progress:
        progress(draws, draws)
    return Simulation(seed, kept["net_gap"], kept["closing_reserves"], kept["minimum_reserves"], kept["balances"],
                      kept["unfunded_gap"])


def project_kept(scenario: Scenario, params: Mapping[str, Parameter], draws: int, overrides: Mapping[str, np.ndarray],
                 multiplier: np.ndarray | None, received: np.ndarray | None) -> dict[str, np.ndarray]:
    """One chunk's kept figures (:data:`KEPT` and ``balances``), each with a row for each of its ``draws``."""
    return kept_figures(project_batch(scenario, params, overrides, multiplier, received), draws)


def kept_figures(results: Results, draws: int) -> dict[str, np.ndarray]:
    """:data:`KEPT` and ``balances`` of a chunk's results, each with a row for each of its ``draws``."""
    return {name: spread(getattr(results, name), draws) for name in KEPT + ("balances",)}


QUANTILES = (0.1, 0.5, 0.9)
CONFIDENCE = (0.8, 0.9)


def by_year(sim: Simulation, labels) -> pd.DataFrame:
    """montecarlo.csv: per projection year, P10/P50/P90 and mean of net gap and closing reserves,
    and the probabilities of a gap, of reserves below the minimum, and of reserves run out by then."""
    return frame(by_year_columns(sim, labels))


def frame(columns: Mapping[str, object]) -> pd.DataFrame:
    """A table from its columns by name, such as :func:`by_year_columns`' (pandas is imported here)."""
    import pandas as pd

    return pd.DataFrame(columns)


def by_year_columns(sim: Simulation, labels) -> dict[str, object]:
    """The columns of :func:`by_year` by name, each a list or array over the projection years."""
    data: dict[str, object] = {"year": list(labels[1:])}
    for name in ("net_gap", "closing_reserves"):
        values = getattr(sim, name)[:, 1:]
        for q, row in zip(QUANTILES, np.quantile(values, QUANTILES, axis=0)):
            data[f"{name}_p{round(q * 100)}"] = row
        data[f"{name}_mean"] = values.mean(axis=0)
    data["p_net_gap_above_zero"] = (sim.net_gap[:, 1:] > 0).mean(axis=0)
    data["p_below_minimum"] = (sim.closing_reserves[:, 1:] < sim.minimum_reserves[:, 1:]).mean(axis=0)
    data["p_reserves_exhausted_by_year"] = exhausted_by_year(sim)
    return data


def run_out(sim: Simulation) -> np.ndarray:
    """(D, T) true where a year is left with an unfunded gap (reserves never go below zero)."""
    return sim.unfunded_gap[:, 1:] > 0


def exhausted_by_year(sim: Simulation) -> np.ndarray:
    """(T,) share of draws whose reserves have run out (a gap left unfunded) in or before each year."""
    return np.logical_or.accumulate(run_out(sim), axis=1).mean(axis=0)


def shadow_reserves(sim: Simulation) -> np.ndarray:
    """(D, T+1) usable reserves as if they could go below zero: closing less the unfunded gaps so far.

    For one pot of reserves this is exactly the balance that would have been left had the
    unfunded gaps been drawn too; with several reserves it treats them as one pot.
    """
    return sim.closing_reserves - np.cumsum(sim.unfunded_gap, axis=1)


@dataclass(frozen=True)
class Headline:
    """The risk figures for cabinet: probabilities (0 to 1) and reserve levels [scenario unit]."""

    p_balances: float               # no year unbalanced or with reserves exhausted
    p_above_minimum: float          # closing reserves at or above the minimum, no gap unfunded, every year
    p_exhausted_by_end: float
    opening_reserves: float         # as planned (median over draws)
    needed_to_last: dict[float, float]         # confidence → opening reserves so they never go below 0
    needed_above_minimum: dict[float, float]   # confidence → ... never below the minimum


def headline(sim: Simulation) -> Headline:
    """Headline probabilities and the reserves needed for 80% and 90% confidence.

    Reserves as if they could go below zero (:func:`shadow_reserves`) are the opening balance
    plus a movement that does not depend on it, so the opening balance a draw needs to stay at
    or above a floor is ``max_t(floor[t] - movement[t])``; the level needed with confidence p is
    that requirement's p-quantile over draws. A year whose gap reserves could not fund is below
    the minimum, whatever is left in reserves that do not meet gaps: the chance of staying at or
    above it is never more than the chance the plan balances.
    """
    closing, minimum = sim.closing_reserves[:, 1:], sim.minimum_reserves[:, 1:]
    opening = sim.closing_reserves[:, :1]
    movement = shadow_reserves(sim)[:, 1:] - opening
    to_last = np.maximum((-movement).max(axis=1), 0.0)
    to_minimum = np.maximum((minimum - movement).max(axis=1), 0.0)
    return Headline(
        p_balances=float(sim.balances.mean()),
        p_above_minimum=float(np.mean(((closing >= minimum) & ~run_out(sim)).all(axis=1))),
        p_exhausted_by_end=float(run_out(sim).any(axis=1).mean()),
        opening_reserves=float(np.median(opening)),
        needed_to_last={p: float(np.quantile(to_last, p)) for p in CONFIDENCE},
        needed_above_minimum={p: float(np.quantile(to_minimum, p)) for p in CONFIDENCE},
    )


def headline_table(head: Headline, sim: Simulation) -> pd.DataFrame:
    """montecarlo_headline.csv: measure, value, unit — draws, seed, the probabilities and the
    opening reserves needed for each confidence."""
    return headline_frame(headline_rows(head, sim))


def headline_rows(head: Headline, sim: Simulation) -> list[tuple[str, object, str]]:
    """The rows of :func:`headline_table`: (measure, value, unit)."""
    rows = [("draws", sim.draws, "count"), ("seed", sim.seed, "number"),
            ("p_balances_every_year", head.p_balances, "probability"),
            ("p_reserves_above_minimum_every_year", head.p_above_minimum, "probability"),
            ("p_reserves_exhausted_by_final_year", head.p_exhausted_by_end, "probability"),
            ("opening_reserves_planned", head.opening_reserves, "scenario unit")]
    for p in CONFIDENCE:
        rows.append((f"opening_reserves_needed_never_exhausted_p{round(p * 100)}", head.needed_to_last[p], "scenario unit"))
        rows.append((f"opening_reserves_needed_above_minimum_p{round(p * 100)}", head.needed_above_minimum[p],
                     "scenario unit"))
    return rows


def headline_frame(rows: list[tuple[str, object, str]]) -> pd.DataFrame:
    """:func:`headline_rows` as the table."""
    import pandas as pd

    return pd.DataFrame(rows, columns=["measure", "value", "unit"]).astype({"value": object})
