"""Every deliberately broken scenario in tests/bad/ gives exit 1 and a located, readable message.

Each file states what it expects in its first comment lines:

    # in: parents/other.yaml        (optional: the file the message names, when not this one)
    # expect: LINE | PATH | REASON [| HINT]     (one line per error; '-' for no line or path)

The test runs ``mtfp run FILE --out DIR`` and checks the exit code, that each error line reads
``FILE:LINE: PATH: ...REASON... (...HINT...)``, that there are exactly as many error lines as
expectations, that no traceback is shown, and that nothing was written or touched.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from mtfpmodel.cli import main

BAD = Path(__file__).parent / "bad"


@dataclass(frozen=True)
class Expected:
    line: int | None
    path: str
    reason: str
    hint: str


def expectations(path: Path) -> tuple[str, list[Expected]]:
    """(file the message names, expected errors) from the file's comment header."""
    shown = str(path)
    found = []
    for text in path.read_text(encoding="utf-8").splitlines():
        if text.startswith("# in:"):
            shown = os.path.normpath(path.parent / text[len("# in:"):].split("(")[0].strip())
        elif text.startswith("# expect:"):
            parts = [p.strip() for p in text[len("# expect:"):].split("|")]
            line, field, reason, hint = (parts + [""])[:4]
            found.append(Expected(None if line == "-" else int(line), "" if field == "-" else field, reason, hint))
    return shown, found


CASES = sorted(BAD.glob("*.yaml"))


def test_every_case_states_what_it_expects():
    assert len(CASES) >= 25
    for path in CASES:
        assert expectations(path)[1], f"{path.name} has no '# expect:' line"


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_bad_scenario_is_reported_not_run(path, tmp_path, monkeypatch, capsys):
    shown, expected = expectations(path)
    monkeypatch.chdir(tmp_path)                    # so a default outputs/ folder would show up here
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.csv").write_text("previous run\n")

    code = main(["run", str(path), "--out", str(out)])

    captured = capsys.readouterr()
    assert code == 1, captured.err
    assert "Traceback" not in captured.err and "Traceback" not in captured.out
    errors = [line for line in captured.err.splitlines() if line.startswith("error: ")]
    assert len(errors) == len(expected), captured.err
    for want in expected:
        prefix = f"error: {shown}" + (f":{want.line}" if want.line is not None else "") + ": "
        prefix += f"{want.path}: " if want.path else ""
        matching = [e for e in errors if e.startswith(prefix) and want.reason in e and want.hint in e]
        assert matching, f"no error line starting {prefix!r} with {want.reason!r} / {want.hint!r}:\n{captured.err}"
    assert "nothing was written" in captured.err
    # nothing written, the previous outputs untouched, no staging folder left behind
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert sorted(p.name for p in out.iterdir()) == ["summary.csv"]
    assert (out / "summary.csv").read_text() == "previous run\n"


def test_five_mistakes_give_five_lines(capsys, tmp_path):
    assert main(["validate", str(BAD / "five_mistakes.yaml")]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 5
    lines = [int(e.split(":")[2]) for e in errors]
    assert lines == sorted(lines)                  # in file order
