"""Write a text file atomically: the whole new file or, on failure, the old one untouched."""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from mtfpmodel.scenario.errors import MtfpError


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` via a temporary file in the same folder and a rename.

    The file gets the permissions a file written in place would have (those of the file it
    replaces, or the umask's). A file that cannot be written (a folder of that name, no such
    disk, no permission, a full disk) is an :class:`MtfpError` saying so; any file already at
    ``path`` is left as it was."""
    path = Path(path)
    check_file(path)
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except OSError as exc:
        raise MtfpError(f"cannot write {path}: {exc.strerror or exc}; nothing was written") from None
    finally:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)


def check_file(path: Path) -> None:
    """Raise MtfpError if ``path`` cannot be a file to write: it is a folder, it would be inside a
    file, or the system cannot take its name (longer than it allows). Nothing is written."""
    if path_is_folder(path):
        raise MtfpError(f"cannot write {path}: it is a folder (name a file inside it)")
    problem = path_problem(path)
    if problem:
        raise MtfpError(f"cannot write {path}: {problem}; nothing was written")


def path_is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:                        # a name the system cannot take: no folder of that name
        return False


def path_problem(path: Path) -> str | None:
    """Why nothing can be made at ``path`` whatever it is to be, or None: the system cannot take
    its name (File name too long...), or a folder it would be in is a file."""
    try:
        path.exists()
        file = next((p for p in path.absolute().parents if p.exists() and not p.is_dir()), None)
    except OSError as exc:
        return str(exc.strerror or exc)
    return f"{file} is a file, not a folder" if file is not None else None


def _mode_for(path: Path) -> int:
    """The permissions ``path`` is to have: those of the file it replaces, else what ``open``
    would give a new file (read and write for all, less the umask), not mkstemp's owner-only."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
