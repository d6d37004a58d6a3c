"""The ``mtfp`` command line: a thin layer over the Python API.

Each subcommand is a module in ``mtfpmodel.commands`` with ``HELP``, ``DESCRIPTION``,
``add_arguments(parser)`` and ``main(args) -> int``. Exit codes: 0 success, 1 the scenario or
analysis is invalid (one message per line on stderr), 2 usage error.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from mtfpmodel.scenario.errors import MtfpError, ScenarioError, UsageError
from mtfpmodel.version import __version__

COMMANDS = (
    "run",
    "validate",
    "streams",
    "compare",
    "diff",
    "schema",
    "new",
    "explain",
    "sensitivity",
    "solve",
    "montecarlo",
    "report",
    "paths",
    "import",
)
MODULES = {"import": "import_"}      # a command whose name is a Python keyword

EPILOG = """\
examples:
  mtfp run scenarios/example.yaml                 project the plan, write outputs/<scenario>/
  mtfp run scenarios/durham.yaml --set assumptions.pay=4%
  mtfp validate scenarios/*.yaml                  check files without running them
  mtfp streams scenarios/example.yaml             savings streams, payback and NPV
  mtfp sensitivity scenarios/durham-risk.yaml     each +1% on pay..., tornado chart
  mtfp montecarlo scenarios/durham-risk.yaml      probability the plan holds
  mtfp diff scenarios/durham-draft.yaml scenarios/durham.yaml   what moved the gap
  mtfp report scenarios/durham-risk.yaml --variants A.yaml B.yaml   the cabinet pack (HTML and Word)
  mtfp import budget.xlsx --out scenarios/mine.yaml   a scenario from a budget book

Amounts are in the scenario's unit (£000 unless it says otherwise); years are financial
years such as 2025/26. Run 'mtfp COMMAND --help' for each command's options.
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with a hint, as argparse does, but one line
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message} (see '{self.prog} --help')", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mtfp", description="Medium-Term Financial Plan model for English councils.",
                     epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"mtfpmodel {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        module = importlib.import_module(f"mtfpmodel.commands.{MODULES.get(name, name.replace('-', '_'))}")
        command = sub.add_parser(name, help=module.HELP, description=module.DESCRIPTION,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
        module.add_arguments(command)
        command.set_defaults(handler=module.main)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return 2
    stdout = sys.stdout
    sys.stdout = _ReaderMayLeave(stdout)
    try:
        return args.handler(args)
    except ScenarioError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        count = len(exc.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.", file=sys.stderr)
        return 1
    except UsageError as exc:
        print(f"mtfp {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except MtfpError as exc:
        print(f"mtfp {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; nothing was written.", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug in mtfpmodel, not in the user's input
        if os.environ.get("MTFP_DEBUG"):
            raise
        print(f"mtfp {args.command}: internal error: {type(exc).__name__}: {exc}\n"
              "This is a bug in mtfpmodel; set MTFP_DEBUG=1 to see the traceback and please report it.",
              file=sys.stderr)
        return 3
    finally:
        sys.stdout.flush()
        sys.stdout = stdout


class _ReaderMayLeave:
    """stdout that keeps going when its reader stops (``mtfp run ... | head``).

    The table is printed before the output files are written; a closed pipe must not stop the
    run half-way, so later writes to it are dropped and the files are still written.
    """

    def __init__(self, stream):
        self._stream = stream
        self._gone = False

    def write(self, text: str) -> int:
        if not self._gone:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._leave()
        return len(text)

    def flush(self) -> None:
        if not self._gone:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._leave()

    def _leave(self) -> None:
        self._gone = True
        try:  # stop the interpreter's final flush of the real stdout from failing too
            os.dup2(os.open(os.devnull, os.O_WRONLY), self._stream.fileno())
        except (OSError, ValueError):
            pass

    def __getattr__(self, name):
        return getattr(self._stream, name)


if __name__ == "__main__":
    raise SystemExit(main())
