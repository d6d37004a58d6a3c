"""``python -m mtfpmodel``: the same as the ``mtfp`` command."""
from mtfpmodel.launch import console

console()
