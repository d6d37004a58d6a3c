"""Write a run's output files atomically: all of them or none.

Files are written into a staging folder beside the output folder; only when every artefact
has been written are they moved into place, each with an atomic rename. A run that fails
part-way leaves the previous outputs exactly as they were.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from mtfpmodel.scenario.errors import MtfpError, UsageError


class Staging:
    """A folder to write outputs into; ``path(name)`` gives where to write ``name``."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, name: str) -> Path:
        target = self.root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        return target


@contextmanager
def staged_output(out_dir: str | Path) -> Iterator[Staging]:
    """Yield a Staging; on success move its files into ``out_dir``, on error discard them."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"the output folder {out_dir} is a file (choose another --out)")
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        root = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    except OSError as exc:
        raise MtfpError(f"cannot write outputs beside {out_dir}: {exc.strerror or exc}") from None
    try:
        try:
            yield Staging(root)
        except OSError as exc:    # disk full, permissions...: a person's problem, not a bug
            raise MtfpError(f"could not write the outputs ({exc.strerror or exc}); "
                            f"the previous outputs in {out_dir} are unchanged") from None
        out_dir.mkdir(parents=True, exist_ok=True)
        for source in sorted(p for p in root.rglob("*") if p.is_file()):
            target = out_dir / source.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
    finally:
        shutil.rmtree(root, ignore_errors=True)
