"""The signals that stop a command, all handled as Ctrl-C is.

Ctrl-C (SIGINT), ``kill``, ``timeout`` or a cancelled CI job (SIGTERM), and a closed terminal
(SIGHUP) each end the command the same way: held back while files are published (never a mix
of old and new outputs), ignored by the drawing processes (the command stops them), a one-line
message, any previous outputs as they were, no staging folder left behind, and the exit code
128 + the signal's number (130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP).
"""
from __future__ import annotations

import signal

STOP_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def exit_code(number: int) -> int:
    """The exit code of a command stopped by signal ``number``, as a shell reports it."""
    return 128 + int(number)


def ignore_all() -> None:
    """Every stop signal ignored (a worker's, or a command finishing up)."""
    for number in STOP_SIGNALS:
        signal.signal(number, signal.SIG_IGN)


def install(handler) -> dict:
    """``handler`` for every stop signal; returns the handlers it replaced, for :func:`restore`."""
    return {number: signal.signal(number, handler) for number in STOP_SIGNALS}


def restore(previous: dict) -> None:
    """Put back the handlers :func:`install` replaced (one Python did not set is the default)."""
    for number, handler in previous.items():
        signal.signal(number, handler if handler is not None else signal.SIG_DFL)
