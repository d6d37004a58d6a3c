"""``python -m mtfpmodel``: the same as the ``mtfp`` command."""
from mtfpmodel.cli import console

console()
