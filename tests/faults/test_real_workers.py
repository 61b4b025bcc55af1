"""Real Celery workers, killed for real.

- make run's worker (the filesystem broker, the pool its settings choose) goes on running tasks
  after a process of its own is SIGKILLed, and still stops on SIGTERM. With a prefork pool a
  killed child deadlocked it: every task received, none run, SIGTERM ignored.
- On Redis (production), a task whose worker is SIGKILLed mid-task is delivered again to the
  next worker once the broker's visibility timeout has passed (acks_late), not an hour later.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery

ROOT = Path(__file__).resolve().parents[2]
TASK = "tests.mark_delivery"
# scripts/run.sh's worker command line, with the test's task module.
WORKER = [sys.executable, "-m", "celery", "-A", "supportdesk", "worker", "--loglevel=INFO",
          "--concurrency=2", "--without-mingle", "--without-gossip",
          "--include", "tests.faults.marker_tasks"]


def start_worker(env: dict[str, str], log: Path, *extra: str) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen([*WORKER, *extra], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)


def wait_for(condition, timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} within {timeout:.0f} s; worker log:\n{log.read_text()[-3000:]}")
        time.sleep(0.1)


def deliveries(marks: Path) -> int:
    return len(marks.read_text().split()) if marks.exists() else 0


def children(pid: int) -> list[int]:
    """Every process whose parent is ``pid`` (a prefork pool forks from another thread, so
    /proc/<pid>/task/<pid>/children would miss them)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)


@pytest.fixture
def worker_env(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "supportdesk.settings",
           "CELERY_DIR": str(tmp_path / "celery")}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def test_make_runs_worker_survives_a_killed_process_of_its_own(tmp_path, worker_env, monkeypatch):
    env = {**worker_env, "CELERY_BROKER_URL": "filesystem://"}
    monkeypatch.setenv("CELERY_BROKER_URL", "filesystem://")  # Celery reads it before its conf
    for folder in ("broker", "processed"):
        (tmp_path / "celery" / folder).mkdir(parents=True)
    log, marks = tmp_path / "worker.log", tmp_path / "marks"
    producer = Celery(broker="filesystem://")
    producer.conf.broker_transport_options = {
        "data_folder_in": str(tmp_path / "celery" / "broker"),
        "data_folder_out": str(tmp_path / "celery" / "broker"),
    }
    worker = start_worker(env, log)
    try:
        wait_for(lambda: b"ready." in log.read_bytes(), 60, "the worker was not ready", log)
        killed = children(worker.pid)  # a prefork pool's idle children, were there any
        for child in killed:
            os.kill(child, signal.SIGKILL)
        time.sleep(1)

        producer.send_task(TASK, args=[str(marks)])
        wait_for(lambda: deliveries(marks) == 1, 30, "the task did not run", log)
        producer.send_task(TASK, args=[str(marks)])
        wait_for(lambda: deliveries(marks) == 2, 30, "the second task did not run", log)

        worker.send_signal(signal.SIGTERM)
        worker.wait(30)  # raises TimeoutExpired if SIGTERM no longer stops it
    finally:
        stop(worker)


def test_redis_delivers_a_killed_workers_task_again_after_the_visibility_timeout(tmp_path, worker_env,
                                                                              monkeypatch):
    # Its own Redis database: no other test's messages, none of this one's left for them.
    broker = os.environ["CELERY_BROKER_URL"].rsplit("/", 1)[0] + "/5"
    monkeypatch.setenv("CELERY_BROKER_URL", broker)
    env = {**worker_env, "CELERY_BROKER_URL": broker, "CELERY_VISIBILITY_TIMEOUT": "3"}
    log, marks = tmp_path / "worker.log", tmp_path / "marks"
    producer = Celery(broker=broker)
    with producer.connection_for_write() as connection:
        connection.default_channel.client.flushdb()

    first = start_worker(env, log, "--concurrency=1")
    second = None
    try:
        wait_for(lambda: b"ready." in log.read_bytes(), 60, "the first worker was not ready", log)
        producer.send_task(TASK, args=[str(marks)], kwargs={"sleep": 600})
        wait_for(lambda: deliveries(marks) == 1, 30, "the task never started", log)
        os.killpg(first.pid, signal.SIGKILL)  # the worker and its pool, mid-task
        first.wait(10)
        killed_at = time.monotonic()

        second = start_worker(env, log, "--concurrency=1")
        wait_for(lambda: deliveries(marks) == 2, 30, "the task was not delivered again", log)
        # Not before the timeout (it could still be running), and well before kombu's hour.
        assert 3 <= time.monotonic() - killed_at < 30
    finally:
        stop(first)
        if second is not None:
            stop(second)
        with producer.connection_for_write() as connection:
            connection.default_channel.client.flushdb()
