"""The ``mtfp`` command line: a thin layer over the Python API.

Each subcommand is a module in ``mtfpmodel.commands`` with ``HELP``, ``DESCRIPTION``,
``add_arguments(parser)`` and ``main(args) -> int``; every module there whose name does not
start with ``_`` is a subcommand. Only the module of the command asked for is imported (all of
them only to list them, for ``mtfp --help``), so each command pays only for what it uses:
``mtfp validate`` never imports pandas, scipy or matplotlib.

Every command runs inside :func:`main`, the one wrapper that makes the command line hard to
knock over: a reader that leaves early (``mtfp run ... | head``) does not stop the files being
written; Ctrl-C at any moment, start-up included, ends with one line and exit code 130, leaving
previous outputs as they were; a bad argument, file or analysis is a message, never a
traceback. Exit codes: 0 success, 1 the scenario or analysis is invalid (one message per line
on stderr), 2 usage error, 130 interrupted, 3 a bug in mtfpmodel.

Only the standard library is imported here, so that start-up is quick and already covered.
"""
from __future__ import annotations

import argparse
import importlib
import keyword
import os
import signal
import sys
import warnings

from mtfpmodel.outputs.stopping import exit_code, ignore_all, install, restore

COMMANDS = (          # the order 'mtfp --help' lists them in; other command modules follow
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


def console() -> None:
    """The ``mtfp`` script: :func:`main`, then leave the process with its exit code.

    Ctrl-C is ignored from the end of :func:`main` on, so that no interrupt arriving while the
    process leaves can print a traceback. The process leaves at once, after flushing its output
    and running the exit handlers, without tearing down every module one by one (a fifth of a
    second for a run with pandas and matplotlib loaded, and nothing is left to do by then: every
    file is written and published, every background process waited for). After an interrupt
    even the exit handlers are skipped: a library whose import the interrupt cut short could
    fail in one.
    """
    _stand_in_for_closed_streams()
    try:
        # A terminal or pipe whose encoding lacks '£' or '—' (PYTHONIOENCODING=ascii, an old
        # Windows code page), or a file name that is not UTF-8: '?' for what it cannot show,
        # rather than a crash half-way through a run (stderr already escapes such characters).
        sys.stdout.reconfigure(errors="replace")
    except (AttributeError, ValueError):          # not a text stream that can be reconfigured
        pass
    code = _main(None, console=True)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    if code != INTERRUPTED and not _INTERRUPTED:
        import atexit

        atexit._run_exitfuncs()
    os._exit(code)


def _stand_in_for_closed_streams() -> None:
    """A process started with stdout or stderr closed (``2>&-``, a daemon's closed descriptors)
    has None for them, and the first print, flush or fork crashed ('internal error', exit 1 for a
    run that had written its files). Such a stream now writes to the null device, taking the
    closed descriptor's number: what would have been shown is dropped, as for a reader that has
    gone (``| head``), and the command's files and exit code are as ever."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    """Run one ``mtfp`` command line (``argv`` without the program name); return the exit code."""
    return _main(argv, console=False)


def _main(argv: list[str] | None, console: bool) -> int:
    stdout, stderr, unraisable = sys.stdout, sys.stderr, sys.unraisablehook
    sys.stdout = shown = _ReaderMayLeave(stdout)
    sys.stderr = _ReaderMayLeave(stderr)      # `2>&1 | head`: the "wrote ..." lines must not stop a run either
    sys.unraisablehook = _quiet_about_interrupts(unraisable)
    _INTERRUPTED.clear()
    previous = install(_on_interrupt) if _main_thread() else {}
    argv = sys.argv[1:] if argv is None else list(argv)
    command = " ".join(["mtfp"] + [a for a in argv[:1] if not a.startswith("-")])   # for messages
    try:
        with warnings.catch_warnings():
            # Overflow in the arithmetic is caught as a non-finite figure and reported; numpy's
            # own RuntimeWarnings would only repeat it in words no finance officer needs.
            warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"(numpy|mtfpmodel)(\.|$)")
            _forget_published()
            args = _parse(argv)
            if args is None:
                return 2
            command = f"mtfp {args.command}"
            _check_common(args)
            code = args.handler(args)
            if _INTERRUPTED:             # a Ctrl-C that Python swallowed (in a clean-up callback)
                raise KeyboardInterrupt
            return _unprinted(shown, command, code)
    except SystemExit as exc:            # argparse: --help and --version (0), usage errors (2)
        return _unprinted(shown, command, exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2))
    except KeyboardInterrupt:
        return _interrupted(command)
    except Exception as exc:
        if _INTERRUPTED:                 # e.g. an import the interrupt cut short: ImportError
            return _interrupted(command)
        _ignore_interrupts()
        return _report(exc, command)
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            sys.stdout, sys.stderr, sys.unraisablehook = stdout, stderr, unraisable
            if console:
                _ignore_interrupts()
            else:
                restore(previous)


INTERRUPTED = exit_code(signal.SIGINT)      # 130


def _interrupted(command: str) -> int:
    """The message and exit code of a command stopped by Ctrl-C or another stop signal."""
    _ignore_interrupts()
    number = _INTERRUPTED[0] if _INTERRUPTED else signal.SIGINT
    how = "interrupted" if number == signal.SIGINT else f"stopped by {signal.Signals(number).name}"
    try:
        print(f"{command}: {how}; {_what_was_written()}", file=sys.stderr)
    except (OSError, ValueError):             # the terminal has gone (SIGHUP): nothing to tell
        pass
    return exit_code(number)


def _report(exc: Exception, command: str) -> int:
    """Print ``exc`` for a person; return the exit code."""
    from mtfpmodel.commands import print_problems
    from mtfpmodel.scenario.errors import MtfpError, ScenarioError, UsageError
    from mtfpmodel.scenario.limits import MAX_PROBLEMS, clip

    if isinstance(exc, ScenarioError):
        print_problems(exc.problems)
        count = len(exc.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.", file=sys.stderr)
        return 1
    if isinstance(exc, MtfpError):
        for line in str(exc).splitlines()[:MAX_PROBLEMS] or [""]:      # an argument is never echoed back whole
            print(f"{command}: error: {clip(line, 500)}", file=sys.stderr)
        return 2 if isinstance(exc, UsageError) else 1
    if isinstance(exc, MemoryError):
        print(f"{command}: error: not enough memory; nothing was written (for Monte Carlo, use fewer --draws or --sobol-samples)",
              file=sys.stderr)
        return 1
    if os.environ.get("MTFP_DEBUG"):
        raise exc
    print(f"{command}: internal error: {type(exc).__name__}: {str(exc)[:500]}\n"
          "This is a bug in mtfpmodel; set MTFP_DEBUG=1 to see the traceback and please report it.",
          file=sys.stderr)
    return 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with a hint, as argparse does, but one line
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message} (see '{self.prog} --help')", file=sys.stderr)
        raise SystemExit(2)


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser for ``argv``: with only the command it names, or every command if it names none."""
    from mtfpmodel.version import __version__

    names = command_names()
    chosen = _chosen(argv or [], names)
    parser = _Parser(prog="mtfp", description="Medium-Term Financial Plan model for English councils.",
                     epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"mtfpmodel {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    if not chosen:                       # only to list them: no command will run
        for name in names:
            sub.add_parser(name, help=_help_of(name))
        return parser
    module = importlib.import_module(module_of(chosen))
    command = sub.add_parser(chosen, help=module.HELP, description=module.DESCRIPTION,
                             formatter_class=argparse.RawDescriptionHelpFormatter)
    module.add_arguments(command)
    command.set_defaults(handler=module.main)
    parser.command_parser = command      # for an error about the command's arguments (_parse)
    return parser


def _help_of(name: str) -> str:
    """A command's one-line HELP, read from its module's source so that 'mtfp --help' imports
    none of them (a HELP that is not a plain string falls back to importing the module)."""
    import ast
    import importlib.util

    module = module_of(name)
    spec = importlib.util.find_spec(module)
    try:
        with open(spec.origin, encoding="utf-8") as source:
            tree = ast.parse(source.read())
        for node in tree.body:
            if (isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "HELP" for t in node.targets)
                    and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
                return node.value.value
    except (OSError, SyntaxError, TypeError):
        pass
    return importlib.import_module(module).HELP


NEGATIVE_VALUES = ("--range", "--step")     # options whose value may start with a minus: -5%..5%


def _joined(argv: list[str]) -> list[str]:
    """``--range -5%..5%`` as ``--range=-5%..5%``: argparse takes a value that starts with '-' and is
    not a plain number for an option, and says '--range: expected one argument'."""
    out: list[str] = []
    for arg in argv:
        if out and out[-1] in NEGATIVE_VALUES and arg[:1] == "-" and arg[1:2].isdigit():
            out[-1] = f"{out[-1]}={arg}"
        else:
            out.append(arg)
    return out


def _parse(argv: list[str]):
    """Parse ``argv``, importing only the command module it names; None if it names no command."""
    argv = _joined(argv)
    parser = build_parser(argv)
    args, extras = parser.parse_known_args(argv)
    if extras:                           # said by the command's own parser, which knows its options
        command = getattr(parser, "command_parser", None) if getattr(args, "handler", None) else None
        (command or parser).error(f"unrecognized arguments: {' '.join(extras)}")
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return None
    return args


def command_names() -> list[str]:
    """Every subcommand: COMMANDS first, then any other public module of mtfpmodel.commands."""
    import pkgutil

    import mtfpmodel.commands as package

    found = [m.name.removesuffix("_") for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_")]
    return [n for n in COMMANDS if n in found] + sorted(n for n in found if n not in COMMANDS)


def module_of(name: str) -> str:
    """The module of command ``name``: mtfpmodel.commands.<name>, '-' as '_', and a '_' after a
    Python keyword (``import``: import_), as :func:`command_names` reads them."""
    module = name.replace("-", "_")
    return f"mtfpmodel.commands.{module}_" if keyword.iskeyword(module) else f"mtfpmodel.commands.{module}"


def _chosen(argv: list[str], names: list[str]) -> str | None:
    """The command ``argv`` names, if it names one before any option of mtfp itself."""
    for arg in argv:
        if arg.startswith("-"):
            return None
        return arg if arg in names else None
    return None


def _check_common(args) -> None:
    """Options many commands share, refused here once for all: an empty or impossible --out (a
    file, inside a file, a name too long), before any work is done; and
    a current folder that cannot be read (deleted or moved while a terminal was in it), which
    every relative path needs (the default output folder among them)."""
    try:
        os.getcwd()
    except OSError as exc:
        from mtfpmodel.scenario.errors import MtfpError

        raise MtfpError(f"the current folder cannot be read ({exc.strerror or exc}): it may have been deleted "
                        "or moved; cd into a folder that exists and run the command again") from None
    out = getattr(args, "out", None)
    if out is not None and (not out.strip() or "\0" in out):
        from mtfpmodel.scenario.errors import UsageError

        if args.command == "import":          # the one command whose --out is a file
            raise UsageError(f"--out {out!r}: give a file name (leave --out out to print the scenario)")
        raise UsageError(f"--out {out!r}: give a folder name (or leave --out out for the default folder)")
    real = getattr(args, "real", None)
    if real is not None and not real.strip():
        from mtfpmodel.scenario.errors import UsageError

        raise UsageError(f"--real {real!r}: name the assumption to deflate by, such as --real prices "
                         "(or leave --real out for cash figures)")
    if out is not None and args.command != "import":     # before the work, not after it
        from pathlib import Path

        from mtfpmodel.outputs.outdir import check_folder

        check_folder(Path(out))


def _forget_published() -> None:
    outdir = sys.modules.get("mtfpmodel.outputs.outdir")
    if outdir is not None:
        outdir.PUBLISHED.clear()


def _unprinted(shown: "_ReaderMayLeave", command: str, code: int) -> int:
    """``code``, or 1 with a message if a command that succeeded could not print what it had to
    show (a full disk under ``> file``); the files it wrote are named, being intact."""
    shown.flush()                        # what was held back in the buffer is written now
    if shown.failure is None or code != 0:
        return code
    published = _published()
    print(f"{command}: error: could not print to standard output ({shown.failure})"
          + (f"; the outputs in {published} were written" if published else ""), file=sys.stderr)
    return 1


def _published() -> str:
    """The output folders this command has published, as text ('' for none)."""
    outdir = sys.modules.get("mtfpmodel.outputs.outdir")       # not imported: nothing was published
    return ", ".join(map(str, outdir.PUBLISHED)) if outdir is not None else ""


def _what_was_written() -> str:
    """After Ctrl-C: the folders already published (the interrupt came after them), or nothing."""
    published = _published()
    if published:
        return f"the outputs in {published} were written before it."
    return "nothing was written; any previous outputs are as they were."


_INTERRUPTED: list[int] = []       # the stop signals received during this command, first first


def _on_interrupt(number, frame) -> None:
    """Ctrl-C (or another of :data:`STOP_SIGNALS`): remembered, then raised as KeyboardInterrupt
    as Python's own handler does for Ctrl-C.

    Python can swallow that exception when it lands in a clean-up callback (it then prints
    "Exception ignored in ..." and carries on); the command line checks the memory when the
    command ends, so the interrupt still counts, and the message is not printed.
    """
    _INTERRUPTED.append(number)
    raise KeyboardInterrupt


def _quiet_about_interrupts(hook):
    def unraisable(info) -> None:
        if not isinstance(info.exc_value, KeyboardInterrupt):
            hook(info)
    return unraisable


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _ignore_interrupts() -> None:
    """A second Ctrl-C (or SIGTERM) while finishing up must not interrupt the message or the clean-up."""
    if _main_thread():
        ignore_all()


class _ReaderMayLeave:
    """stdout that keeps going when its reader stops (``mtfp run ... | head``) or it cannot be
    written (``> file`` on a full disk: ENOSPC; a terminal that has gone: EIO).

    The table is printed before the output files are written; neither must stop the run half-way,
    so later writes to it are dropped and the files are still written. A reader that leaves is
    the reader's choice (exit 0); any other failure is kept in ``failure`` (its reason), for the
    command line to report once the files are written (exit 1), rather than being taken for a
    failure to write the outputs.
    """

    def __init__(self, stream):
        self._stream = stream
        self._gone = False
        self.failure: str | None = None

    def write(self, text: str) -> int:
        if not self._gone:
            try:
                return self._stream.write(text)
            except OSError as exc:
                self._leave(exc)
        return len(text)

    def flush(self) -> None:
        if not self._gone:
            try:
                self._stream.flush()
            except OSError as exc:
                self._leave(exc)

    def _leave(self, exc: OSError) -> None:
        self._gone = True
        if not isinstance(exc, BrokenPipeError):
            self.failure = exc.strerror or str(exc)
        try:  # stop the interpreter's final flush of the real stdout from failing too
            os.dup2(os.open(os.devnull, os.O_WRONLY), self._stream.fileno())
        except (AttributeError, OSError, ValueError):      # not a real file: nothing to flush
            pass

    def __getattr__(self, name):
        return getattr(self._stream, name)


if __name__ == "__main__":
    console()
