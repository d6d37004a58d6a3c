"""Forked drawing workers: every task runs once, failures come back to the parent; a background
process runs its work in order and is stopped, with its workers, when the parent leaves early."""
from __future__ import annotations

import os
import signal
import time
from functools import partial
from pathlib import Path

import pytest

from mtfpmodel.outputs.parallel import RUNNING, Background, DrawingStopped, run_tasks, workers

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="tasks run one after the other without fork")


def test_every_task_runs_once_in_some_process(tmp_path, monkeypatch):
    monkeypatch.setenv("MTFP_WORKERS", "3")
    assert workers(10) == 3 and workers(2) == 2
    run_tasks([lambda n=n: (tmp_path / f"{n}-{os.getpid()}").touch() for n in range(10)])
    done = sorted(p.name for p in tmp_path.iterdir())
    assert sorted(int(name.split("-")[0]) for name in done) == list(range(10))


def test_a_failure_in_a_worker_is_raised_in_the_parent(monkeypatch):
    monkeypatch.setenv("MTFP_WORKERS", "2")
    parent = os.getpid()

    def fails_in_a_worker():
        time.sleep(0.05)                      # slow enough that the worker takes some tasks
        if os.getpid() != parent:
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left on device"):
        run_tasks([fails_in_a_worker] * 6)


def test_a_worker_that_dies_is_an_error_not_missing_files(monkeypatch):
    monkeypatch.setenv("MTFP_WORKERS", "2")
    parent = os.getpid()

    def dies_in_a_worker():
        time.sleep(0.05)
        if os.getpid() != parent:
            os._exit(9)

    with pytest.raises(DrawingStopped, match="stopped before finishing its charts; no outputs were written"):
        run_tasks([dies_in_a_worker] * 6)


def test_one_worker_runs_the_tasks_here(monkeypatch):
    monkeypatch.setenv("MTFP_WORKERS", "1")
    pids = []
    run_tasks([lambda: pids.append(os.getpid())] * 3)
    assert pids == [os.getpid()] * 3


# Background: one process forked early, handed its work now (``first``) and later (``send``).

def _note(folder, name: str) -> None:
    """A task that can be pickled: record which process ran it, in which order."""
    with open(folder / "log", "a") as log:
        log.write(f"{name} {os.getpid()}\n")


def _fail(message: str) -> None:
    raise OSError(28, message)


def _log(folder) -> list[tuple[str, int]]:
    return [(name, int(pid)) for name, pid in (line.split() for line in (folder / "log").read_text().splitlines())]


def test_background_work_runs_in_one_other_process_in_order(tmp_path, monkeypatch):
    monkeypatch.setenv("MTFP_WORKERS", "2")
    with Background(partial(_note, tmp_path, "first")) as background:
        background.send(partial(_note, tmp_path, "second"))
        background.send(partial(_note, tmp_path, "third"))
    log = _log(tmp_path)
    assert [name for name, _ in log] == ["first", "second", "third"]
    assert len({pid for _, pid in log}) == 1 and log[0][1] != os.getpid()
    assert not RUNNING


def test_an_error_in_the_background_is_raised_by_wait(tmp_path, monkeypatch):
    monkeypatch.setenv("MTFP_WORKERS", "2")
    background = Background(partial(_note, tmp_path, "first"))
    with pytest.raises(OSError, match="No space left on device"):
        background.send(partial(_fail, "No space left on device"))
        background.send(partial(_note, tmp_path, "never"))   # not run (here or there): the work stops
        background.wait()
    assert [name for name, _ in _log(tmp_path)] == ["first"]
    assert not RUNNING


def test_a_background_process_that_dies_is_an_error(monkeypatch):
    monkeypatch.setenv("MTFP_WORKERS", "2")
    with pytest.raises(DrawingStopped, match="stopped before its work was done; no outputs were written"):
        with Background(partial(os._exit, 9)):
            pass


def _workers_that_wait(folder) -> None:
    """Fork two drawing workers (run_tasks) that record their pids and then wait to be stopped."""
    def wait_here():
        (folder / f"worker-{os.getpid()}").touch()
        time.sleep(60)
    (folder / f"background-{os.getpid()}").touch()
    run_tasks([wait_here, wait_here])


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"           # a zombie has stopped


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")
def test_leaving_with_an_error_stops_the_background_and_its_workers(tmp_path, monkeypatch):
    monkeypatch.setenv("MTFP_WORKERS", "2")
    with pytest.raises(KeyboardInterrupt):
        with Background(partial(_workers_that_wait, tmp_path)):
            while len(list(tmp_path.iterdir())) < 3:            # the background and both workers started
                time.sleep(0.01)
            raise KeyboardInterrupt
    pids = [int(p.name.split("-")[1]) for p in tmp_path.iterdir()]
    for _ in range(100):                                        # orphans are reaped by init, soon
        if not any(_alive(pid) for pid in pids):
            break
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in pids)
    assert not RUNNING


def test_a_staging_folder_is_removed_only_after_its_background_is_stopped(tmp_path, monkeypatch):
    # Ctrl-C just after a background was started, before its ``with`` block began: the staging
    # folder's clean-up stops it, so nothing can be written into the folder once it is gone.
    from mtfpmodel.outputs.outdir import staged_output

    monkeypatch.setenv("MTFP_WORKERS", "2")
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        with staged_output(out) as staging:
            Background(partial(_workers_that_wait, staging.root))
            raise KeyboardInterrupt
    assert not RUNNING and sorted(p.name for p in tmp_path.iterdir()) == []


def test_with_one_worker_background_work_runs_here_when_given(tmp_path, monkeypatch):
    monkeypatch.setenv("MTFP_WORKERS", "1")
    background = Background(partial(_note, tmp_path, "first"))
    assert _log(tmp_path) == [("first", os.getpid())]             # at once, in this process
    background.send(partial(_note, tmp_path, "second"))
    background.wait()
    assert _log(tmp_path) == [("first", os.getpid()), ("second", os.getpid())]


def test_a_background_process_killed_from_outside_is_an_error_naming_the_signal(monkeypatch):
    # Before: RuntimeError, which the command line reports as "internal error ... a bug in
    # mtfpmodel" (exit 3); a process the out-of-memory killer (or kill -9) stopped is no bug of ours.
    monkeypatch.setenv("MTFP_WORKERS", "2")
    with pytest.raises(DrawingStopped, match="killed by SIGKILL \\(out of memory, or stopped from outside\\)"):
        with Background(_killed) as background:
            background.wait()


def _killed() -> None:
    os.kill(os.getpid(), signal.SIGKILL)         # in the background process: as the OOM killer would


def test_a_message_cut_off_by_a_killed_process_ends_it_and_is_not_a_crash():
    # Before: a helper killed while it wrote an answer left a truncated pickle, and unpickling it
    # raised UnpicklingError: "internal error" (exit 3) for a Monte Carlo whose helper was killed.
    read, write = os.pipe()
    os.write(write, b"V" + (100).to_bytes(8, "little") + b"x" * 10)      # 10 of the 100 bytes it announced
    os.close(write)
    background = Background.__new__(Background)
    background._results, background._asked, background._answers, background._error = read, 1, [], None
    try:
        assert background._receive_one() is False
        assert background._answers == [] and background._asked == 1
    finally:
        os.close(read)


def test_when_no_process_can_be_started_the_work_is_done_here(tmp_path, monkeypatch):
    # A container's limit on processes makes fork fail (EAGAIN). Before: `mtfp run` failed with
    # "could not write the outputs (Resource temporarily unavailable)"; now it draws in-process.
    def no_fork():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setenv("MTFP_WORKERS", "2")
    monkeypatch.setattr(os, "fork", no_fork)
    run_tasks([partial(_note, tmp_path, name) for name in ("a", "b", "c")])
    with Background(partial(_note, tmp_path, "first")) as background:
        background.send(partial(_note, tmp_path, "sent"))
        background.ask(partial(os.getpid))
        assert background.answers(wait=True) == [os.getpid()]
    assert [name for name, pid in _log(tmp_path)] == ["a", "b", "c", "first", "sent"]
    assert {pid for _, pid in _log(tmp_path)} == {os.getpid()}
    assert not RUNNING


def test_the_background_runs_the_next_task_while_its_last_answer_waits_to_be_read(tmp_path, monkeypatch):
    # A Monte Carlo hands its background process the next chunk while it works on one. Before,
    # that process read a task only once the answer to the one before (more than a pipe holds)
    # had been read here, so a chunk handed over while this process projected its own sat unread
    # and the helper idled. Now it reads tasks and writes answers on threads of its own: the
    # second task runs while the first's answer waits, unread, and both answers come back in order.
    monkeypatch.setenv("MTFP_WORKERS", "2")
    ran = tmp_path / "second ran"
    with Background(lambda: None) as background:
        assert _within(60, background.has_room)           # first() done there
        background.ask(partial(_big_answer, 0.3))
        assert background.has_room(waiting=1)              # one may wait behind the one it works on
        background.ask(partial(ran.write_text, "yes"))
        assert _within(60, ran.exists)                     # nothing is read here meanwhile
        answers = background.answers(wait=True)
    assert answers[0] == bytes(8 * 2**20) and answers[1] == 3
    assert not RUNNING


def _big_answer(delay: float) -> bytes:
    time.sleep(delay)                  # the second task is sent before this answer is ready
    return bytes(8 * 2**20)


def _within(seconds: float, condition) -> bool:
    """Poll ``condition`` until it holds or ``seconds`` pass (a safeguard against hanging, not a timing)."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    return condition()
