"""Questions asked of the engine: sensitivity, goal seek, Monte Carlo, Sobol, plan movement, explain.

Lives here: batched runs over many inputs and what they say. May import: results, engine, scenario.

All batched: each builds input arrays with a leading draws axis and makes one engine call (or a
few chunked calls), never a Python loop over draws.

- :mod:`.batch` — build per-draw overrides and project them in chunks;
- :mod:`.paths` — which paths an analysis varies, their labels, and checks with file:line;
- :mod:`.sensitivity` — one-way table and tornado; :mod:`.grid` — two-way grid;
- :mod:`.goalseek` — the value that meets a target, and the savings needed to balance;
- :mod:`.distributions` — marginals and the Gaussian copula; :mod:`.montecarlo` — the simulation;
- :mod:`.sobol` — first and total order Sobol indices over the Monte Carlo distributions;
- :mod:`.movement` — what moved the gap between two versions of a plan;
- :mod:`.explain` — how one figure is made up.
"""
