"""Run independent drawing tasks on every core: forked worker processes share one work queue.

Drawing a chart at print resolution is CPU-bound Python (matplotlib) and each chart is
independent, so ``mtfp run`` draws its charts in parallel. The workers are forked from the
command's own process, after the result is computed and matplotlib imported, so they start in
about a millisecond and need nothing sent to them; each writes its files into the staging
folder. The parent process works too, so two cores give two workers in all.

- Tasks are handed out through a pipe, one byte per task, so a worker that finishes early
  takes the next one (the charts differ in cost).
- A task that fails in a worker raises the same exception in the parent (sent back pickled),
  so errors are handled as if the task had run here. A worker that ends without one (killed by
  the out-of-memory killer or ``kill -9``, even part-way through sending an answer) is a
  :class:`DrawingStopped`: an error for the officer (exit 1), naming the signal, not a crash.
- Workers ignore Ctrl-C and the other stop signals (:mod:`mtfpmodel.outputs.stopping`;
  blocked while they are forked, so none can slip in first); the parent stops them when it is
  interrupted, then re-raises.
- Where there is no ``os.fork`` (Windows) or one core, outside the main thread, with
  ``MTFP_WORKERS=1``, or when no process can be started (a container's limit on processes),
  tasks run here, one after the other, with the same results.

:class:`Background` is the other half: work handed to one process forked *early*, which gets
on with it (importing matplotlib, then drawing) while this process carries on with what needs
no charts — the terminal tables, the CSV files, the workbook, or a Monte Carlo simulation, of
which it projects a share, kept one chunk ahead (it reads its tasks and writes its answers on
threads of its own, so neither process waits for the other to send or to read). It
follows the same rules (Ctrl-C ignored there, errors raised here, no fork where there is
none), and leads its own process group, so stopping it also stops any drawing worker it forked.
"""
from __future__ import annotations

import os
import pickle
import queue
import select
import signal
import sys
import threading
import warnings
from typing import Callable, Sequence

from mtfpmodel.outputs.stopping import STOP_SIGNALS, ignore_all
from mtfpmodel.scenario.errors import MtfpError

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
            try:
                children.append(_fork(tasks, queue_out, errors_in))
            except OSError:                       # no process to be had (a container's pids limit): fewer
                break                             # workers, or none, and this process takes the rest
        os.close(errors_in)
        errors_in = -1
        failure = _take_tasks(tasks, queue_out)
        sent = _read_all(errors_out)              # until every worker has exited
        crashed = [code for code in (os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children) if code]
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
        raise _stopped(crashed[0], "a drawing worker process stopped before finishing its charts")


def _fork(tasks: Sequence[Task], queue: int, errors: int) -> int:
    """Start one worker; return its pid. Ctrl-C and the other stop signals are blocked across the
    fork, so that none can land in the new process before the worker has set them to be ignored."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
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
        ignore_all()
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
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
    """``exc`` pickled, if it also unpickles (an exception with an __init__ of its own may not),
    else a RuntimeError saying what it was."""
    try:
        data = pickle.dumps(exc)
        pickle.loads(data)
        return data
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
    while a simulation runs here), then each task :meth:`send` or :meth:`ask` hands it, in order;
    such a task is pickled, so it carries its inputs with it, and an asked task's return value
    comes back (:meth:`answers`), so it can take a share of this process's work (:meth:`has_room`). :meth:`wait` returns once every task has run and raises here the first
    error any of them raised there. As a context manager, leaving the block waits; leaving it
    with an exception (Ctrl-C included) stops the process, and every worker it forked, straight
    away, so that none is left writing into a staging folder that is about to be removed. Where
    :func:`run_tasks` would run its tasks here (no fork, one core, ``MTFP_WORKERS=1``, outside
    the main thread, inside a worker), so does this: each task runs when it is given, and it never
    has room for more.
    """

    def __init__(self, first: Task):
        self._pid: int | None = None
        self._fds: list[int] = []
        self._ready = False          # first() has finished there
        self._asked = 0              # asked tasks not answered yet
        self._answers: list[object] = []
        self._error: BaseException | None = None
        if _IN_BACKGROUND or workers(2) == 1:
            first()
            return
        tasks_out, self._tasks = os.pipe()
        self._results, results_in = os.pipe()
        self._fds = [self._tasks, self._results]
        sys.stdout.flush()
        sys.stderr.flush()
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            try:
                with warnings.catch_warnings():       # Python 3.12+ warns about fork in a threaded process
                    warnings.simplefilter("ignore", DeprecationWarning)
                    pid = os.fork()
            except OSError:                           # no process to be had: the work is done here
                for fd in (tasks_out, results_in, *self._fds):
                    os.close(fd)
                self._fds = []
                first()
                return
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
        else:
            self._put(_SEND, task)

    def ask(self, task: Callable[[], object]) -> None:
        """Run ``task`` there after the rest and send back what it returns (see :meth:`answers`)."""
        if self._pid is None:
            self._answers.append(task())
        else:
            self._put(_ASK, task)
            self._asked += 1

    def has_room(self, waiting: int = 0) -> bool:
        """True when the process has finished ``first`` and has at most ``waiting`` asked tasks
        unanswered: ask it another. With ``waiting=1`` the next task waits there, already read,
        while it works on the one before, so it goes straight on to it (the process reads its tasks
        and writes its answers on threads of its own, so a task sent while it works, or an answer
        not yet read here, holds neither process up)."""
        if self._pid is None:
            return False
        self._take_in(lambda: not self._readable())
        return self._ready and self._asked <= waiting

    def answers(self, wait: bool = False) -> list[object]:
        """The return values of the asked tasks that have come back since the last call, in the
        order they were asked; with ``wait``, once all of them have."""
        if self._pid is not None:
            self._take_in((lambda: self._asked == 0) if wait else (lambda: not self._readable()))
        answers, self._answers = self._answers, []
        return answers

    def wait(self) -> None:
        """Wait until every task has run; raise the first error one of them raised."""
        if self._pid is None:
            return
        self._close(self._tasks)                      # no more tasks: it exits after the last
        while self._receive_one():
            pass
        code = os.waitstatus_to_exitcode(os.waitpid(self._pid, 0)[1])
        self._forget()
        self._close(self._results)
        if self._error is not None:
            raise self._error
        if code != 0:
            raise _stopped(code)

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

    def _put(self, kind: bytes, task: Task) -> None:
        """Write a task to the process, taking in what it sends back meanwhile (so that neither
        waits on the other with a full pipe)."""
        data = memoryview(kind + _framed(pickle.dumps(task)))
        while data:
            readable, writable, _ = select.select([self._results], [self._tasks], [])
            if readable and not self._receive_one():
                break                                 # it has stopped: say why
            if writable:
                try:
                    data = data[os.write(self._tasks, data[:_PIPE_CHUNK]):]
                except BrokenPipeError:
                    break
        if data:
            self.wait()
            raise _stopped()

    def _take_in(self, done: Callable[[], bool]) -> None:
        """Read what the process sends until ``done()``; raise its error (or that it has gone),
        after stopping it, if there is one."""
        while not done():
            if not self._receive_one() and self._error is None:
                self._error = _stopped()
            if self._error is not None:
                error = self._error
                self.stop()
                raise error

    def _readable(self) -> bool:
        return bool(select.select([self._results], [], [], 0)[0])

    def _receive_one(self) -> bool:
        """Read one message from the process; False if it has exited (the pipe is closed), also
        part-way through a message (killed while it wrote one)."""
        header = _read_exactly(self._results, 9)
        if len(header) < 9:
            return False
        kind, size = header[:1], int.from_bytes(header[1:], "little")
        payload = _read_exactly(self._results, size)
        if len(payload) < size:
            return False
        if kind == _READY:
            self._ready = True
        elif kind == _ANSWER:
            self._answers.append(pickle.loads(payload))
            self._asked -= 1
        elif self._error is None:
            self._error = _unpickled(payload)
        return True

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


_SEND, _ASK = b"S", b"A"                 # tasks: run it; run it and send back its value
_READY, _ANSWER, _ERROR = b"R", b"V", b"E"   # messages back: first() done; a value; a failure
_PIPE_CHUNK = 1 << 16


def _framed(payload: bytes) -> bytes:
    return len(payload).to_bytes(8, "little") + payload


class DrawingStopped(MtfpError):
    """A drawing process that ended before its work was done, without an error of its own: killed
    from outside (the kernel's out-of-memory killer, ``kill -9``), not a bug of the command."""


def _stopped(code: int | None = None,
             what: str = "the background drawing process stopped before its work was done") -> DrawingStopped:
    """The error for a drawing process gone early; ``code`` its exit code (-N: killed by signal N)."""
    how = ""
    if code is not None and code < 0:
        try:
            how = f", killed by {signal.Signals(-code).name} (out of memory, or stopped from outside)"
        except ValueError:
            how = f", killed by signal {-code}"
    return DrawingStopped(f"{what}{how}; no outputs were written (any previous outputs are unchanged)")


RUNNING: list[Background] = []       # started and not yet waited for or stopped


def stop_all() -> None:
    """Stop every background process still running: before a staging folder is removed, so that
    none can go on writing into it even if an interrupt came before its ``with`` block began."""
    for background in list(RUNNING):
        background.stop()


def _serve(first: Task, tasks: int, results: int, parents: list[int]) -> None:
    """The background process: run ``first``, then each task read from ``tasks``, sending back
    (on ``results``) that it is ready, each asked task's value, or the first failure."""
    global _IN_BACKGROUND
    _IN_BACKGROUND = True
    code = 0
    try:
        for fd in parents:
            os.close(fd)
        os.setpgid(0, 0)
        ignore_all()
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
        first()
        _write_all(results, _READY + _framed(b""))
        incoming, outgoing, writer = _pipe_threads(tasks, results)
        try:
            while (item := incoming.get()) is not None:
                kind, payload = item
                value = pickle.loads(payload)()
                if kind == _ASK:
                    outgoing.put(_ANSWER + _framed(pickle.dumps(value)))
        except BaseException as exc:
            outgoing.put(_ERROR + _framed(_pickled(exc)))
            code = 1
        outgoing.put(None)
        writer.join()                             # every answer (or the failure) sent before exiting
    except BaseException as exc:                  # nothing may escape into the parent's code
        code = 1
        try:
            _write_all(results, _ERROR + _framed(_pickled(exc)))
        except BaseException:
            pass
    finally:
        os._exit(code)


def _pipe_threads(tasks: int, results: int) -> tuple[queue.SimpleQueue, queue.SimpleQueue, threading.Thread]:
    """The background process's two threads, started once ``first`` has run: one reads each task
    sent (kind and pickle) into the first queue as it arrives (then None, once the sender has
    closed the pipe); the other (returned, to be joined) writes each message put in the second
    queue, until None. So the process that sends the tasks never waits for this one to finish a
    task before it can send the next, nor this one for that one to read an answer. (A task that
    forks drawing workers forks while both wait on a pipe or a queue: the workers use neither.)"""
    incoming: queue.SimpleQueue = queue.SimpleQueue()
    outgoing: queue.SimpleQueue = queue.SimpleQueue()

    def read() -> None:
        try:
            while (item := _read_frame(tasks)) is not None:
                incoming.put(item)
        finally:
            incoming.put(None)

    def write() -> None:
        try:
            while (message := outgoing.get()) is not None:
                _write_all(results, message)
        except OSError:                           # the parent has gone: nothing left to tell it
            pass

    threading.Thread(target=read, daemon=True).start()
    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    return incoming, outgoing, writer


def _read_frame(fd: int) -> tuple[bytes, bytes] | None:
    """The next task sent (kind, then its pickle), or None once the sender has closed the pipe."""
    header = _read_exactly(fd, 9)
    if len(header) < 9:
        return None
    size = int.from_bytes(header[1:], "little")
    payload = _read_exactly(fd, size)
    return (header[:1], payload) if len(payload) == size else None


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
