"""Every example command in `mtfp COMMAND --help` runs, on the shipped scenarios, as printed.

An officer copies these lines. Before: `mtfp solve --help` offered `--by reserves.opening` for
scenarios/durham.yaml, whose reserves are a named list, and the example failed ("unknown path
'reserves.opening'", exit 2).

Each example runs in a folder holding a copy of the shipped scenarios (the examples' paths are
relative to the project), so that their outputs/ land there. The slow analyses (Monte Carlo, the
cabinet pack) and the examples that write into scenarios/ or need a file of the officer's own
(budget.xlsx, old.yaml) are left out; the rest are cheap.
"""
from __future__ import annotations

import importlib
import shlex
import shutil
from pathlib import Path

import pytest

from mtfpmodel.cli import COMMANDS, EPILOG, main

ROOT = Path(__file__).resolve().parents[1]
SKIPPED = {"montecarlo", "report", "schema", "new", "import"}    # slow, or writing beside the scenarios


def examples() -> list[str]:
    """The examples of `mtfp --help` and of each command's help, as one would type them."""
    found = []
    helps = [EPILOG] + [importlib.import_module(f"mtfpmodel.commands.{command}").DESCRIPTION
                        for command in COMMANDS if command not in SKIPPED]
    for page in helps:
        lines = page.splitlines()
        for n, line in enumerate(lines):
            text = line.strip()
            if not text.startswith("mtfp "):
                continue
            while text.endswith("\\"):                       # continued on the next line
                n += 1
                text = text[:-1].rstrip() + " " + lines[n].strip()
            text = text.split("   ")[0].strip()               # an aligned note after the command
            words = shlex.split(text)
            if words[1] not in SKIPPED and all((ROOT / word).exists() or not word.endswith(".yaml") or "*" in word
                                               for word in words) and text not in found:
                found.append(text)
    return found


EXAMPLES = examples()


def test_the_help_of_every_command_has_examples_to_run():
    assert len(EXAMPLES) >= 20
    assert any(example.startswith("mtfp solve ") and "reserves[" in example for example in EXAMPLES)


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_example_runs_as_printed(example, tmp_path, monkeypatch):
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    monkeypatch.chdir(tmp_path)
    argv = shlex.split(example)[1:]
    if "*" in example:                                        # the shell's glob, as a shell would expand it
        argv = [a for word in argv for a in (sorted(str(p) for p in Path().glob(word)) if "*" in word else [word])]
    if argv[0] == "run":
        argv.append("--no-charts")                            # the charts are tested elsewhere; keep this quick
    assert main(argv) == 0, example
