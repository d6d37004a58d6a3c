"""The user guide's console examples are real: each one is run and its lines must appear in the output.

A ``console`` block in docs/user-guide.md holds commands (lines starting ``$ mtfp``) each followed
by what it prints. The test runs every command in a scratch folder holding copies of the
repository's ``scenarios/``, ``tests/`` and ``docs/`` (so whatever a command writes lands there,
never in the checkout) and checks
that the shown lines appear in that order in what the command printed (stdout then stderr). A
line ``...`` stands for lines left out; a block whose commands are followed by no output (a list
of commands to try) is only run. So a figure the guide quotes cannot drift from what the tool
prints.
"""
from __future__ import annotations

import glob
import re
import shlex
import shutil
from pathlib import Path

import pytest

from mtfpmodel.cli import main

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "user-guide.md"
SKIP = ("mtfp import budget.xlsx", "mtfp import lines.csv", "mtfp import outputs/", "mtfp import badbook")


def examples() -> list[tuple[int, str, list[str]]]:
    """(line number, command, lines it must print) for each ``$ mtfp`` line of a console block."""
    found, block, line_no = [], None, 0
    for n, text in enumerate(GUIDE.read_text(encoding="utf-8").splitlines(), start=1):
        if text.startswith("```console"):
            block = []
            continue
        if block is None:
            continue
        if text.startswith("```"):
            found += block
            block = None
        elif text.startswith("$ mtfp"):
            line_no = n
            block.append((line_no, text[2:].split("  #")[0].strip(), []))
        elif block:
            block[-1][2].append(text.rstrip())
    return found


EXAMPLES = [e for e in examples() if not e[1].startswith(SKIP)]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("guide")
    for name in ("scenarios", "tests", "docs"):
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return folder


def test_the_guide_has_examples_to_check():
    assert len(EXAMPLES) >= 20


@pytest.mark.parametrize("line, command, shown", EXAMPLES, ids=[f"line{e[0]}" for e in EXAMPLES])
def test_a_console_example_prints_what_the_guide_shows(scratch, monkeypatch, capsys, line, command, shown):
    monkeypatch.chdir(scratch)
    argv = [found for arg in shlex.split(command)[1:]           # the shell's globbing: scenarios/*.yaml
            for found in (sorted(glob.glob(arg)) if "*" in arg else [arg])]
    if argv[:1] == ["new"] and len(argv) > 1:         # the starter file it writes must not exist yet
        Path(argv[1] + ("" if argv[1].endswith(".yaml") else ".yaml")).unlink(missing_ok=True)
    code = main(argv)
    captured = capsys.readouterr()
    printed = [text.rstrip() for text in (captured.out + captured.err).splitlines()]
    expected = [text for text in shown if text.strip() and text.strip() != "..." and not text.startswith("#")]
    position = 0
    for text in expected:
        pattern = re.escape(text.strip())
        while position < len(printed) and not re.fullmatch(r"\s*" + pattern, printed[position]):
            position += 1
        assert position < len(printed), (f"docs/user-guide.md line {line}: `{command}` (exit {code}) does not "
                                         f"print, in this order, the line:\n{text}\n--- it printed:\n"
                                         + "\n".join(printed[:80]))
        position += 1
