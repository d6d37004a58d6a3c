"""Run independent drawing tasks on every core: forked worker processes share one work queue.

Drawing a chart at print resolution is CPU-bound Python (matplotlib) and each chart is
independent, so ``mtfp run`` draws its charts in parallel. The workers are forked from the
command's own process, after the result is computed and matplotlib imported, so they start in
about a millisecond and need nothing sent to them; each writes its files into the staging
folder. The parent process works too, so two cores give two workers in all.

- Tasks are handed out through a pipe, one byte per task, so a worker that finishes early
  takes the next one (the charts differ in cost).
- A task that fails in a worker raises the same exception in the parent (sent back pickled),
  so errors are handled as if the task had run here.
- Workers ignore Ctrl-C (it is blocked while they are forked, so none can slip in first); the
  parent stops them when it is interrupted, then re-raises.
- Where there is no ``os.fork`` (Windows) or one core, outside the main thread, or with
  ``MTFP_WORKERS=1``, tasks run here, one after the other, with the same results.

:class:`Background` is the other half: work handed to one process forked *early*, which gets
on with it (importing matplotlib, then drawing) while this process carries on with what needs
no charts — the terminal tables, the CSV files, the workbook, or a Monte Carlo simulation. It
follows the same rules (Ctrl-C ignored there, errors raised here, no fork where there is
none), and leads its own process group, so stopping it also stops any drawing worker it forked.
"""
from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
import warnings
from typing import Callable, Sequence

Task = Callable[[], None]
_IN_WORKER = False          # a worker runs its tasks one after the other: no forks within forks
_IN_BACKGROUND = False      # a background process runs further background work itself


def workers(tasks: int) -> int:
    """How many processes (this one included) to use for ``tasks`` tasks."""
    setting = os.environ.get("MTFP_WORKERS", "").strip()
    if setting.isdigit() and int(setting) > 0:
        wanted = int(setting)
    else:
        wanted = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    forkable = hasattr(os, "fork") and not _IN_WORKER and threading.current_thread() is threading.main_thread()
    return max(1, min(wanted, tasks)) if forkable else 1


def run_tasks(tasks: Sequence[Task]) -> None:
    """Run every task once, in parallel where possible; raise the first task's error, if any."""
    count = workers(len(tasks))
    if count == 1 or len(tasks) > 255:
        for task in tasks:
            task()
        return
    queue_out, queue_in = os.pipe()
    os.write(queue_in, bytes(range(len(tasks))))
    os.close(queue_in)
    errors_out, errors_in = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    children = []
    try:
        for _ in range(count - 1):
            children.append(_fork(tasks, queue_out, errors_in))
        os.close(errors_in)
        errors_in = -1
        failure = _take_tasks(tasks, queue_out)
        sent = _read_all(errors_out)              # until every worker has exited
        crashed = [pid for pid in children if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) != 0]
        children = []
    except BaseException:
        for pid in children:                      # interrupted: stop the workers, leave no process behind
            _stop(pid)
        raise
    finally:
        for fd in (queue_out, errors_out, errors_in):
            if fd >= 0:
                os.close(fd)
    if failure is not None:
        raise failure
    if sent:
        raise _unpickled(sent)
    if crashed:
        raise RuntimeError("a drawing worker process stopped before finishing its charts")


def _fork(tasks: Sequence[Task], queue: int, errors: int) -> int:
    """Start one worker; return its pid. Ctrl-C is blocked across the fork, so that it can never
    land in the new process before the worker has set it to be ignored."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        with warnings.catch_warnings():           # Python 3.12+ warns about fork in a threaded process
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:                              # the worker: never returns
            _work(tasks, queue, errors)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    return pid


def _work(tasks: Sequence[Task], queue: int, errors: int) -> None:
    """A forked worker: take tasks until none are left; report a failure; exit without clean-up."""
    global _IN_WORKER
    _IN_WORKER = True
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        failure = _take_tasks(tasks, queue)
        if failure is not None:
            code = 1
            os.write(errors, _pickled(failure))
    except BaseException:                         # nothing may escape into the parent's code
        code = 1
    finally:
        os._exit(code)


def _take_tasks(tasks: Sequence[Task], queue: int) -> BaseException | None:
    """Run tasks from the queue until it is empty or one fails (returned, not raised)."""
    while True:
        index = os.read(queue, 1)
        if not index:
            return None
        try:
            tasks[index[0]]()
        except Exception as exc:
            return exc


def _pickled(exc: BaseException) -> bytes:
    try:
        return pickle.dumps(exc)
    except Exception:
        return pickle.dumps(RuntimeError(f"{type(exc).__name__}: {exc}"))


def _unpickled(data: bytes) -> BaseException:
    try:
        exc = pickle.loads(data)
    except Exception:
        return RuntimeError("a drawing worker failed")
    return exc if isinstance(exc, BaseException) else RuntimeError(str(exc))


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks)


def _stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


class Background:
    """Work done by a process forked now, while this one carries on; :meth:`wait` for it.

    The process runs ``first()`` at once (work whose inputs this process already holds, such as
    drawing the charts of a computed plan, or getting ready: importing matplotlib and pandas
    while a simulation runs here), then each task :meth:`send` hands it, in order; a sent task
    is pickled, so it carries its inputs with it. :meth:`wait` returns once every task has run
    and raises here the first error any of them raised there. As a context manager, leaving
    the block waits; leaving it with an exception (Ctrl-C included) stops the process, and every
    worker it forked, straight away, so that none is left writing into a staging folder that is
    about to be removed. Where :func:`run_tasks` would run its tasks here (no fork, one core,
    ``MTFP_WORKERS=1``, outside the main thread, inside a worker), so does this: each task runs
    when it is given.
    """

    def __init__(self, first: Task):
        self._pid: int | None = None
        self._fds: list[int] = []
        if _IN_BACKGROUND or workers(2) == 1:
            first()
            return
        tasks_out, self._tasks = os.pipe()
        self._results, results_in = os.pipe()
        self._fds = [self._tasks, self._results]
        sys.stdout.flush()
        sys.stderr.flush()
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            with warnings.catch_warnings():           # Python 3.12+ warns about fork in a threaded process
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
            if pid == 0:                              # the background process: never returns
                _serve(first, tasks_out, results_in, self._fds)
            self._pid = pid
            RUNNING.append(self)                      # before Ctrl-C can land: see stop_all
            os.close(tasks_out)
            os.close(results_in)
            try:
                os.setpgid(pid, pid)                  # as the process does itself: whichever comes first
            except OSError:
                pass
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)

    def send(self, task: Task) -> None:
        """Run ``task`` (picklable, e.g. a functools.partial of a module-level function) after the rest."""
        if self._pid is None:
            task()
            return
        data = pickle.dumps(task)
        try:
            _write_all(self._tasks, len(data).to_bytes(8, "little") + data)
        except BrokenPipeError:                       # it has stopped: wait() says why
            self.wait()
            raise RuntimeError("the background drawing process stopped before its work was done") from None

    def wait(self) -> None:
        """Wait until every task has run; raise the first error one of them raised."""
        if self._pid is None:
            return
        self._close(self._tasks)                      # no more tasks: it exits after the last
        sent = _read_all(self._results)               # until it exits
        code = os.waitstatus_to_exitcode(os.waitpid(self._pid, 0)[1])
        self._forget()
        self._close(self._results)
        if sent:
            raise _unpickled(sent)
        if code != 0:
            raise RuntimeError("the background drawing process stopped before its work was done")

    def stop(self) -> None:
        """Stop the process and every worker it forked, at once (after an error or Ctrl-C here)."""
        if self._pid is not None:
            try:
                os.killpg(self._pid, signal.SIGKILL)
            except OSError:
                _stop(self._pid)
            try:
                os.waitpid(self._pid, 0)
            except ChildProcessError:
                pass
            self._forget()
        for fd in list(self._fds):
            self._close(fd)

    def _forget(self) -> None:
        self._pid = None
        if self in RUNNING:
            RUNNING.remove(self)

    def _close(self, fd: int) -> None:
        if fd in self._fds:
            self._fds.remove(fd)
            os.close(fd)

    def __enter__(self) -> "Background":
        return self

    def __exit__(self, kind, exc, traceback) -> None:
        if kind is None:
            self.wait()
        else:
            self.stop()


RUNNING: list[Background] = []       # started and not yet waited for or stopped


def stop_all() -> None:
    """Stop every background process still running: before a staging folder is removed, so that
    none can go on writing into it even if an interrupt came before its ``with`` block began."""
    for background in list(RUNNING):
        background.stop()


def _serve(first: Task, tasks: int, results: int, parents: list[int]) -> None:
    """The background process: run ``first``, then each task read from ``tasks``; report a failure."""
    global _IN_BACKGROUND
    _IN_BACKGROUND = True
    code = 0
    try:
        for fd in parents:
            os.close(fd)
        os.setpgid(0, 0)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        first()
        while (task := _read_task(tasks)) is not None:
            task()
    except BaseException as exc:                  # nothing may escape into the parent's code
        code = 1
        try:
            _write_all(results, _pickled(exc))
        except BaseException:
            pass
    finally:
        os._exit(code)


def _read_task(fd: int) -> Task | None:
    """The next task sent (length, then pickle), or None once the sender has closed the pipe."""
    size = _read_exactly(fd, 8)
    if not size:
        return None
    return pickle.loads(_read_exactly(fd, int.from_bytes(size, "little")))


def _read_exactly(fd: int, count: int) -> bytes:
    chunks, left = [], count
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
