"""Distributions of uncertain inputs and the Gaussian copula that correlates them.

Each draw starts as a standard normal score z (correlated across inputs by the copula) and is
turned into the input's value through its inverse distribution function:
``x = F⁻¹(Φ(z))`` — for a normal simply ``mean + sd * z``. Families (a = low, c = mode, b = high):

- normal {mean, sd};
- uniform [a, b]: ``a + u (b - a)``;
- triangular [a, c, b]: ``a + sqrt(u (b-a)(c-a))`` below the mode, ``b - sqrt((1-u)(b-a)(b-c))`` above;
- pert [a, c, b]: ``a + (b - a) * Beta⁻¹(u; 1 + 4(c-a)/(b-a), 1 + 4(b-c)/(b-a))`` (mean (a + 4c + b)/6).

Units are those of the input (a rate as a fraction, an amount in the scenario unit). scipy.special
(Φ, its inverse and the inverse incomplete beta) is imported only when a family needs it, so a
plan whose risks are all normal, and every command that only reads the Monte Carlo settings,
never loads scipy.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from mtfpmodel.scenario.riskconfig import Distribution


def central(dist: Distribution) -> float:
    """The central value: the mean of a normal, the mode of a triangular or PERT, a uniform's midpoint."""
    numbers = dist.numbers
    if dist.family == "normal":
        return numbers[0]
    if dist.family == "uniform":
        return (numbers[0] + numbers[1]) / 2
    return numbers[1]


def ppf(dist: Distribution, u: np.ndarray) -> np.ndarray:
    """Inverse distribution function at probabilities ``u`` (0 < u < 1)."""
    from scipy.special import betaincinv, ndtri

    u = np.asarray(u, dtype=float)
    if dist.family == "normal":
        mean, sd = dist.numbers
        return mean + sd * ndtri(u)
    if dist.family == "uniform":
        low, high = dist.numbers
        return low + u * (high - low)
    low, mode, high = dist.numbers
    width = high - low
    if width == 0:
        return np.full(u.shape, low)
    if dist.family == "triangular":
        split = (mode - low) / width
        below = low + np.sqrt(u * width * (mode - low))
        above = high - np.sqrt((1.0 - u) * width * (high - mode))
        return np.where(u < split, below, above)
    alpha = 1.0 + 4.0 * (mode - low) / width
    beta = 1.0 + 4.0 * (high - mode) / width
    return low + width * betaincinv(alpha, beta, u)


def from_normal(dist: Distribution, z: np.ndarray) -> np.ndarray:
    """Value of ``dist`` for standard normal scores ``z``: ``F⁻¹(Φ(z))``.

    The PERT inverse (an incomplete beta inversion, about 1 µs a value) is tabulated once on a
    fine, even grid of z and interpolated linearly: the error is below 1e-8 of the range [a, b].
    """
    if dist.family == "normal":
        mean, sd = dist.numbers
        return mean + sd * z
    if dist.family == "pert":
        values = _pert_table(*dist.numbers)
        position = (np.clip(z, _Z_LOW, -_Z_LOW) - _Z_LOW) / _Z_STEP
        index = np.minimum(position.astype(np.intp), values.size - 2)
        weight = position - index
        return values[index] * (1.0 - weight) + values[index + 1] * weight
    from scipy.special import ndtr

    return ppf(dist, ndtr(z))


_Z_LOW, _Z_STEP, _Z_POINTS = -8.5, 17.0 / 20_000, 20_001


@lru_cache(maxsize=64)
def _pert_table(low: float, mode: float, high: float) -> np.ndarray:
    """PERT values at z = -8.5, -8.5 + step, ..., 8.5."""
    from scipy.special import ndtr

    z = _Z_LOW + _Z_STEP * np.arange(_Z_POINTS)
    return ppf(Distribution(pert=[low, mode, high]), ndtr(z))


def copula_factor(matrix: np.ndarray) -> np.ndarray | None:
    """F with F Fᵀ = matrix (eigen-decomposition, so a semi-definite matrix works); None if identity."""
    if np.array_equal(matrix, np.eye(matrix.shape[0])):
        return None
    values, vectors = np.linalg.eigh(matrix)
    return vectors * np.sqrt(np.clip(values, 0.0, None))


def normal_scores(rng: np.random.Generator, draws: int, years: int, matrix: np.ndarray,
                  by_year: list[bool]) -> list[np.ndarray]:
    """Standard normal scores for each input: (draws,) for a persistent one, (draws, years) by year.

    The first year's scores are correlated across all inputs by ``matrix``; later years' are drawn
    only for by-year inputs, correlated by their part of the matrix (a persistent input uses its
    first-year score throughout, so it needs no more).
    """
    first = rng.standard_normal((draws, len(by_year)))
    factor = copula_factor(matrix)
    first = first if factor is None else _correlate(first, factor)
    yearly = [m for m, flag in enumerate(by_year) if flag]
    later = rng.standard_normal((draws, years - 1, len(yearly)))
    sub = copula_factor(matrix[np.ix_(yearly, yearly)])
    later = later if sub is None else _correlate(later, sub)
    out = [first[:, m] for m in range(len(by_year))]
    for j, m in enumerate(yearly):
        out[m] = np.concatenate([first[:, m, None], later[:, :, j]], axis=1)
    return out


def _correlate(z: np.ndarray, factor: np.ndarray) -> np.ndarray:
    """z Fᵀ over the last axis. einsum, not BLAS: for these thin matrices BLAS threads cost more
    than the arithmetic."""
    return np.einsum("...m,km->...k", z, factor)
