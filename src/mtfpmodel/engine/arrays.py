"""Shaping per-item arrays for the engine: a base-year column, stacking with a draws axis, and
running products and totals over the years."""
from __future__ import annotations

import numpy as np


def pad(series: np.ndarray) -> np.ndarray:
    """(D, T) projection-year values → (D, T+1) with 0 in the base year."""
    return np.concatenate([np.zeros((series.shape[0], 1)), series], axis=1)


def stack(arrays: list[np.ndarray], T: int, scalar: bool = False) -> np.ndarray:
    """Stack per-item arrays on axis 1, broadcasting their draws axes; empty gives D = 1."""
    if not arrays:
        return np.zeros((1, 0)) if scalar else np.zeros((1, 0, T + 1))
    return np.stack(np.broadcast_arrays(*arrays), axis=1)


def with_base(series: np.ndarray, base: np.ndarray) -> np.ndarray:
    """(D, T+1) values with ``base`` (D,) put in the base-year column t = 0."""
    draws = max(series.shape[0], base.shape[0])
    out = np.array(np.broadcast_to(series, (draws,) + series.shape[1:]))
    out[:, 0] = base
    return out


def compound(rates: np.ndarray) -> np.ndarray:
    """x[..., t] = prod over s <= t of (1 + rates[..., s]): the running product over the years (last) axis.

    Worked a year at a time across every draw and item: the same products, in the same order, as
    ``np.cumprod(1 + rates, axis=-1)``, several times quicker for a few years and thousands of
    draws (cumprod walks each short row on its own).
    """
    out = 1.0 + np.asarray(rates, dtype=float)
    for t in range(1, out.shape[-1]):
        out[..., t] *= out[..., t - 1]
    return out


def running_total(amounts: np.ndarray) -> np.ndarray:
    """x[..., t] = sum over s <= t of amounts[..., s], a year at a time (as :func:`compound`)."""
    out = np.array(amounts, dtype=float)
    for t in range(1, out.shape[-1]):
        out[..., t] += out[..., t - 1]
    return out


DUST = 1e-12     # a figure this small a share of the year's budget is the last bits of two products, not money


def without_dust(values: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """``values`` with every figure no bigger than :data:`DUST` of ``scale`` (the year's spending or
    funding, whichever is larger) put to exactly 0: a difference of two sums that are equal but were
    multiplied out in another order (a 2% rise on spending and on council tax) leaves a few units in
    the last place — about 1e-16 of the budget — which would otherwise read as a gap, a use of
    reserves or a surplus. 1e-12 of a £1bn budget is a tenth of a penny."""
    return np.where(np.abs(values) <= DUST * scale, 0.0, values)
