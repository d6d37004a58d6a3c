"""The ``mtfp`` script and ``python -m mtfpmodel``: Ctrl-C is answered from the first line on.

Python turns a Ctrl-C into a KeyboardInterrupt, and one that lands while the command line's
modules are still being imported (before :func:`mtfpmodel.cli.main` puts in its own handler) would
print a raw traceback. This module sets a handler for the stop signals as it is imported, so that
from here on an interrupt during start-up ends with one line and the exit code a stop signal gives
(130 for Ctrl-C): no output folder has been touched yet. :mod:`mtfpmodel.cli` then puts in its
own handlers, which take over. It imports only what the interpreter has already loaded (``os``,
``sys``) and ``_signal``, the built-in half of :mod:`signal`: importing :mod:`signal` itself takes
6 ms (it builds its enums), most of the window this closes. What is left is the interpreter's own
start before this line runs: about 10 ms, up to 20 ms on a loaded machine, in which an interrupt
is Python's to report.
"""
import os
import sys

import _signal       # the C module signal wraps: no enum to build before the handler is in

_NAMES = {2: "SIGINT", 15: "SIGTERM", 1: "SIGHUP"}


def _stopped_at_start(number: int, frame) -> None:
    how = "interrupted" if number == _signal.SIGINT else f"stopped by {_NAMES.get(number, number)}"
    command = " ".join(["mtfp"] + [a for a in sys.argv[1:2] if not a.startswith("-")])
    os.write(2, f"{command}: {how}; nothing was written; any previous outputs are as they were.\n".encode())
    os._exit(128 + number)


for _name in ("SIGINT", "SIGTERM", "SIGHUP"):
    if hasattr(_signal, _name):
        _signal.signal(getattr(_signal, _name), _stopped_at_start)


def console() -> None:
    from mtfpmodel.cli import console as run

    run()
