"""mtfpmodel: Medium-Term Financial Plan modelling for English councils.

The packages follow the data's path, and each imports only from those after it in this list:
``commands`` (and ``cli``) → ``outputs`` → ``analysis`` → ``results`` → ``engine`` → ``scenario``.

>>> import mtfpmodel
>>> result = mtfpmodel.run(mtfpmodel.load("scenarios/example.yaml"))
"""
from mtfpmodel.results.result import Result, run
from mtfpmodel.scenario.errors import MtfpError, Problem, ScenarioError
from mtfpmodel.scenario.loader import load
from mtfpmodel.version import __version__

__all__ = ["load", "run", "Result", "MtfpError", "Problem", "ScenarioError", "__version__"]
