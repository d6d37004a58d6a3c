"""mtfpmodel: Medium-Term Financial Plan modelling for English councils."""
from mtfpmodel.errors import MtfpError, Problem, ScenarioError
from mtfpmodel.loader import load
from mtfpmodel.model import Result, run

__all__ = ["load", "run", "Result", "MtfpError", "Problem", "ScenarioError"]
__version__ = "0.1.0"
