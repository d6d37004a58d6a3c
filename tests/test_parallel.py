"""Forked drawing workers: every task runs once, failures come back to the parent."""
from __future__ import annotations

import os
import time

import pytest

from mtfpmodel.outputs.parallel import run_tasks, workers

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

    with pytest.raises(RuntimeError, match="stopped before finishing"):
        run_tasks([dies_in_a_worker] * 6)


def test_one_worker_runs_the_tasks_here(monkeypatch):
    monkeypatch.setenv("MTFP_WORKERS", "1")
    pids = []
    run_tasks([lambda: pids.append(os.getpid())] * 3)
    assert pids == [os.getpid()] * 3
