"""Write a command's output files atomically: all of them or none.

Files are written into a staging folder beside the output folder. Only when every file has
been written are they published, in one step that cannot leave a mix of old and new files:

1. check first that every file can be replaced (no read-only file or folder in the way, no
   folder where a file goes) — if not, nothing is touched;
2. move each new file into place with a rename, the file it replaces moved aside first;
3. if any rename fails, undo every one done so far: the previous files go back exactly as they
   were (same bytes, same timestamps), the new ones are removed.

Two commands publishing into one folder at once take turns (a lock on the folder's parent, where
the system has one), so the folder ends with one command's whole set of files, never a mix.

Ctrl-C is held back while files are published and while the staging folder is removed, so an
interrupt never leaves a half-published folder or a temporary folder behind; it takes effect
straight after. Files in the output folder that this run does not write (another command's
outputs, an officer's own files) are left alone, except those the command says are its own
(:meth:`Staging.own`) that an earlier run of it left there unchanged: one of those is removed in
the same publish (and put back if it fails). Which those are is read from :data:`MANIFEST`, a
small hidden file that a publish for such a command (``mtfp run``) writes into the folder
with the rest, atomically: every file it has published, the command that published it and its
SHA-256. A file of one of those names that
mtfp did not write, or that has been changed since (a workbook edited for ``mtfp import``), is
kept, and said so. The folder names published by the current command are kept in
:data:`PUBLISHED` for the command line's Ctrl-C message.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from mtfpmodel.outputs.parallel import stop_all
from mtfpmodel.outputs.stopping import install, restore
from mtfpmodel.outputs.textfile import path_is_folder, path_problem
from mtfpmodel.scenario.errors import MtfpError, UsageError

PUBLISHED: list[Path] = []
MANIFEST = ".mtfp-files"
OTHER = "-"           # the manifest's word for a command that removes no files of its own
MANIFEST_HEADER = ("# The files mtfp published into this folder: SHA-256, command, name. A later 'mtfp run'\n"
                   "# removes a file of its own it no longer writes only while it is unchanged. Safe to delete.\n")


class Staging:
    """A folder to write outputs into; ``path(name)`` gives where to write ``name``, and
    ``wrote(names)`` says they are done: "wrote …" is printed (on stderr) once they are published,
    never before, so that a run whose files cannot be published never claims to have written any."""

    def __init__(self, root: Path, command: str = ""):
        self.root = root
        self.command = command                # recorded in the manifest beside each file it publishes
        self.written: list[str] = []          # the "wrote …" lines, in the order the files were done
        self.owned: list[str] = []            # files of this command to remove when not written this time
        self.removed: list[str] = []          # those that were removed, once published
        self.kept: list[str] = []             # those that were kept: not as an earlier run left them

    def wrote(self, names: Iterable[str]) -> None:
        self.written.append(", ".join(names))

    def own(self, names: Iterable[str]) -> None:
        """Say that ``names`` (relative to the output folder) are this command's: one of them left in
        the folder by an earlier run of it, unchanged, but not written this time (mtfp.xlsx after
        --no-report, workforce.csv once the plan has no workforce) is removed when the new files are
        published, so that the folder never holds a stale file beside the new ones. One that the
        manifest does not show as that run left it is kept (an officer's file is never removed)."""
        self.owned += list(names)

    def path(self, name: str) -> Path:
        target = self.root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        return target


@contextmanager
def staged_output(out_dir: str | Path, command: str = "") -> Iterator[Staging]:
    """Yield a Staging; on success publish its files into ``out_dir``, on error discard them.
    ``command`` names the command in the manifest (the files :meth:`Staging.own` may remove later
    are those recorded under its name)."""
    out_dir = Path(out_dir)
    check_folder(out_dir)
    with held_interrupts():
        root = _staging_folder(out_dir)
    keep = False
    staging = Staging(root, command)
    try:
        try:
            yield staging
        except OSError as exc:    # disk full, permissions...: a person's problem, not a bug
            raise MtfpError(f"could not write the outputs ({exc.strerror or exc}); "
                            f"the previous outputs in {out_dir} are unchanged") from None
        with _taking_turns(out_dir), held_interrupts():      # waiting for a turn can be interrupted
            staging.removed, staging.kept = publish(root, out_dir, staging.owned, staging.command)
            PUBLISHED.append(out_dir)
    except _Unrestored as exc:
        keep = True
        raise MtfpError(str(exc)) from None
    finally:
        if not keep:
            with held_interrupts():
                stop_all()              # no background drawing may go on writing into it
                shutil.rmtree(root, ignore_errors=True)
    for names in staging.written:
        print(f"wrote {names}", file=sys.stderr, flush=True)
    if staging.removed:
        print(f"removed {', '.join(staging.removed)} (from an earlier run; not written this time)", file=sys.stderr,
              flush=True)
    if staging.kept:
        them = "them" if len(staging.kept) > 1 else "it"
        print(f"note: kept {', '.join(staging.kept)}: this run did not write {them}, and "
              f"{'they are' if len(staging.kept) > 1 else 'it is'} not as an earlier mtfp run left "
              f"{them} (your own file, or changed since), so {'they' if len(staging.kept) > 1 else 'it'} "
              "may not match these outputs", file=sys.stderr, flush=True)


def check_folder(out_dir: Path) -> None:
    """Raise UsageError, naming ``--out``, if ``out_dir`` cannot be an output folder: it is a file,
    or inside one, or the system cannot take its name (a name longer than it allows)."""
    problem = path_problem(out_dir)
    if problem:
        raise UsageError(f"the output folder {out_dir} cannot be used: {problem} (choose another --out)")
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"the output folder {out_dir} is a file (choose another --out)")
    if out_dir.is_symlink() and not out_dir.exists():
        raise UsageError(f"the output folder {out_dir} is a link to {os.readlink(out_dir)}, which does not exist "
                         "(make that folder, or choose another --out)")


def _staging_folder(out_dir: Path) -> Path:
    """A new, empty staging folder on the output folder's disk: beside it, or inside it where its
    parent cannot be written (``--out .`` in a folder whose parent is not yours) or is on another
    disk (a mount point, or a link to a folder on a share: the link is followed first)."""
    absolute = Path(os.path.realpath(out_dir.absolute()))
    prefix = f".{(absolute.name or 'outputs')[:40]}.tmp-"       # short: a long folder name still fits
    try:
        absolute.parent.mkdir(parents=True, exist_ok=True)
        if absolute.is_dir() and os.stat(absolute).st_dev != os.stat(absolute.parent).st_dev:
            return Path(tempfile.mkdtemp(prefix=prefix, dir=absolute))
        return Path(tempfile.mkdtemp(prefix=prefix, dir=absolute.parent))
    except OSError as exc:
        if path_is_folder(out_dir):
            try:
                return Path(tempfile.mkdtemp(prefix=prefix, dir=absolute))
            except OSError:
                pass
        raise MtfpError(f"cannot write outputs beside {out_dir}: {exc.strerror or exc}") from None


@contextmanager
def _taking_turns(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``out_dir``'s parent folder (flock on the folder itself, so no lock
    file is left behind) while the block runs: another command publishing beside it waits its
    turn. Where there is no flock (Windows) or the folder cannot be opened, no lock is taken."""
    try:
        import fcntl
        descriptor = os.open(out_dir.absolute().parent, os.O_RDONLY)
    except (ImportError, OSError):
        yield
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)        # releases the lock


class _Unrestored(Exception):
    """A failed publish could not put every previous file back (the message says where they are)."""


def publish(root: Path, out_dir: Path, owned: Iterable[str] = (), command: str = "") -> tuple[list[str], list[str]]:
    """Move every file under ``root`` to the same place under ``out_dir``, all or none, with the
    folder's :data:`MANIFEST` brought up to date; remove the files of ``owned`` (names relative to
    ``out_dir``) that are there but not among them, when the manifest shows ``command`` left them
    and they are unchanged; return the names removed and the names kept (there, but not so).

    Raise MtfpError, with every previous file back in place, if any file
    cannot be published; raise _Unrestored if, on top of that, a previous file could not be
    put back (its copy is then kept in ``root``).
    """
    files = sorted(p for p in root.rglob("*") if p.is_file() or p.is_symlink())
    new = {out_dir / source.relative_to(root) for source in files}
    recorded = read_manifest(out_dir)
    there = [name for name in dict.fromkeys(owned) if (out_dir / name) not in new and (out_dir / name).is_file()]
    stale = [name for name in there if recorded.get(name) == (command, _digest(out_dir / name))]
    kept = [name for name in there if name not in stale]
    # A command that removes its own files later records what it publishes; once there is a record,
    # every command's publish brings it up to date (a file the cabinet pack rewrites is the pack's).
    if command or (out_dir / MANIFEST).is_file():
        entries = {name: entry for name, entry in recorded.items() if name not in stale and (out_dir / name).is_file()}
        entries.update({source.relative_to(root).as_posix(): (command or OTHER, _digest(source)) for source in files
                        if source.is_file() and not source.is_symlink()})
        (root / MANIFEST).write_text(MANIFEST_HEADER + "".join(f"{digest}  {by}  {name}\n"
                                                               for name, (by, digest) in sorted(entries.items())),
                                     encoding="utf-8")
        files.append(root / MANIFEST)
    moves = [(source, out_dir / source.relative_to(root)) for source in files]
    check_replaceable(out_dir, [target for _, target in moves] + [out_dir / name for name in stale])
    aside = root / ".previous"
    done: list[tuple[Path | None, Path, Path | None]] = []   # (new file's staging place, target, old file aside)
    created: list[Path] = []
    try:
        for name in stale:                                    # moved aside, as a replaced file is
            target = out_dir / name
            old = aside / name
            old.parent.mkdir(parents=True, exist_ok=True)
            os.replace(target, old)
            done.append((None, target, old))
        for source, target in moves:
            created += _make_folders(target.parent)
            old = None
            if target.exists() or target.is_symlink():
                old = aside / target.relative_to(out_dir)
                old.parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, old)
            try:
                os.replace(source, target)
            except OSError:
                if old is not None:
                    os.replace(old, target)
                raise
            done.append((source, target, old))
    except OSError as exc:
        lost = _undo(done, created)
        reason = f"could not publish the outputs ({exc.strerror or exc}{_on(exc)})"
        if lost:
            raise _Unrestored(f"{reason}; the previous versions of {', '.join(map(str, lost))} could not be put "
                              f"back and are kept in {aside}") from None
        raise MtfpError(f"{reason}; the previous outputs in {out_dir} are unchanged") from None
    for folder in sorted({(out_dir / name).parent for name in stale} - {out_dir}, reverse=True):
        try:
            folder.rmdir()                                    # a folder the removals left empty
        except OSError:
            pass
    return stale, kept


def read_manifest(out_dir: Path) -> dict[str, tuple[str, str]]:
    """The folder's :data:`MANIFEST`: name → (command, SHA-256); empty when there is none or it
    cannot be read (nothing is then removed)."""
    try:
        text = (out_dir / MANIFEST).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    entries = {}
    for line in text.splitlines():
        parts = line.split("  ", 2)
        if line.startswith("#") or len(parts) != 3:
            continue
        digest, by, name = parts
        entries[name] = (by, digest)
    return entries


def _digest(path: Path) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def check_replaceable(out_dir: Path, targets: list[Path]) -> None:
    """Raise MtfpError, before anything changes, if any target cannot be written or replaced."""
    folders = {out_dir}
    for target in targets:
        folders.update(p for p in target.parents if p == out_dir or out_dir in p.parents)
    for folder in sorted(folders):
        if folder.exists() and not folder.is_dir():
            raise MtfpError(f"cannot write {_first_below(folder, targets)}: {folder} is a file, not a folder; "
                            f"the previous outputs in {out_dir} are unchanged")
        if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
            raise MtfpError(f"the output folder {folder} is read-only; nothing was written "
                            f"and the previous outputs are unchanged")
    for target in targets:
        if target.is_dir() and not target.is_symlink():
            raise MtfpError(f"cannot write {target}: a folder of that name is in the way; "
                            f"the previous outputs in {out_dir} are unchanged")
        if target.exists() and not os.access(target, os.W_OK):
            raise MtfpError(f"{target} is read-only (is it open in another program?); nothing was written "
                            f"and the previous outputs in {out_dir} are unchanged")


def _first_below(folder: Path, targets: list[Path]) -> Path:
    return next(t for t in targets if folder in t.parents)


def _make_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and any missing parents; return those created, outermost first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
    return list(reversed(missing))


def _undo(done: list[tuple[Path | None, Path, Path | None]], created: list[Path]) -> list[Path]:
    """Put back every previous file and remove every new one; return targets not restored."""
    lost = []
    for source, target, old in reversed(done):
        try:
            if source is not None:                # None: a stale file moved aside, nothing new in its place
                os.replace(target, source)
            if old is not None:
                os.replace(old, target)
        except OSError:
            lost.append(target)
    for folder in reversed(created):
        try:
            folder.rmdir()
        except OSError:
            pass
    return lost


def _on(exc: OSError) -> str:
    name = exc.filename2 if getattr(exc, "filename2", None) else exc.filename
    return f": {name}" if name else ""


@contextmanager
def held_interrupts() -> Iterator[None]:
    """Hold back Ctrl-C and the other stop signals
    (:data:`~mtfpmodel.outputs.stopping.STOP_SIGNALS`) while the block runs, then deliver the
    first to the handler it was held from.

    For the short steps that must not stop half-way: publishing files, removing the staging
    folder. Outside the main thread (where signals cannot be handled) the block just runs.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = install(lambda number, frame: caught.append(number))
    try:
        yield
    finally:
        restore(previous)
    if caught:
        handler = previous[caught[0]]
        if callable(handler):
            handler(caught[0], None)              # the command's handler: remembered and raised
        elif handler == signal.SIG_DFL:
            signal.raise_signal(caught[0])        # what it would have done at once
