"""``python -m mtfpmodel``: the same as the ``mtfp`` command."""
from mtfpmodel.cli import main

raise SystemExit(main())
