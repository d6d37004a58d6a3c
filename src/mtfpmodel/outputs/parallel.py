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
