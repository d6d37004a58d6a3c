"""mtfpmodel: Medium-Term Financial Plan modelling for English councils.

The packages follow the data's path, and each imports only from those after it in this list:
``commands`` (and ``cli``) → ``outputs`` → ``analysis`` → ``results`` → ``engine`` → ``scenario``.

>>> import mtfpmodel
>>> result = mtfpmodel.run(mtfpmodel.load("scenarios/example.yaml"))

The names below are imported when first used (PEP 562), so ``import mtfpmodel.cli`` stays light.
"""
from __future__ import annotations

import importlib

from mtfpmodel.version import __version__

_API = {
    "load": "mtfpmodel.scenario.loader",
    "run": "mtfpmodel.results.result",
    "Result": "mtfpmodel.results.result",
    "MtfpError": "mtfpmodel.scenario.errors",
    "Problem": "mtfpmodel.scenario.errors",
    "ScenarioError": "mtfpmodel.scenario.errors",
}

__all__ = ["load", "run", "Result", "MtfpError", "Problem", "ScenarioError", "__version__"]


def __getattr__(name: str):
    if name in _API:
        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'mtfpmodel' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
