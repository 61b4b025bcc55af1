#!/usr/bin/env python3
"""Run a command against throwaway PostgreSQL and Redis servers.

Usage: python scripts/testenv.py -- <command...>

The test suite runs on real PostgreSQL and Redis rather than SQLite and
in-memory fakes, so that what it checks is what production runs. This script
provides both without Docker: it creates a temporary folder, starts a
private PostgreSQL cluster and a Redis server there on free loopback ports,
exports their addresses to the command's environment

    DATABASE_URL=postgres://supportdesk@127.0.0.1:<pg port>/postgres
    CELERY_BROKER_URL=redis://127.0.0.1:<redis port>/0
    REDIS_URL=redis://127.0.0.1:<redis port>/1

runs the command, then stops both servers and removes the folder, whatever
happened (error, Ctrl-C, SIGTERM). It exits with the command's exit code.

It uses the standard library only. PostgreSQL binaries are taken from the
newest /usr/lib/postgresql/*/bin, else from PATH; redis-server from PATH
(scripts/system-deps.sh test installs both). When run as root, PostgreSQL
runs as the `postgres` system user through runuser, since it refuses to run
as root.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType
from typing import NoReturn

PG_USER = "supportdesk"
PG_SYSTEM_USER = "postgres"
PG_START_TIMEOUT_S = 60
REDIS_START_TIMEOUT_S = 20.0
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
STOP_TIMEOUT_S = 15.0
LOG_TAIL_LINES = 40


class StartError(Exception):
    """A service could not be started; the message says why."""


def log(message: str) -> None:
    print(f"testenv: {message}", file=sys.stderr, flush=True)


def die(message: str, code: int = 2) -> NoReturn:
    log(message)
    sys.exit(code)


def is_root() -> bool:
    return os.geteuid() == 0


def tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError as exc:
        return f"(could not read {path}: {exc})"
    return "\n".join(text.splitlines()[-lines:])


def free_ports(count: int) -> list[int]:
    """Ports the kernel hands out for 127.0.0.1:0, all distinct."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


class Interrupted(Exception):
    """A stop signal arrived while the services were starting."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"interrupted by {signal.Signals(signum).name}")
        self.signum = signum


class SignalLatch:
    """Notes SIGINT/SIGTERM/SIGHUP during start-up instead of acting at once.

    Raising straight from the handler would kill initdb or pg_ctl half-way and
    leave an orphaned server behind; instead check() raises between steps.
    """

    def __init__(self) -> None:
        self.signum: int | None = None

    def install(self) -> None:
        for signum in STOP_SIGNALS:
            signal.signal(signum, self._note)

    def _note(self, signum: int, _frame: FrameType | None) -> None:
        if self.signum is None:
            self.signum = signum

    def check(self) -> None:
        if self.signum is not None:
            raise Interrupted(self.signum)


# --- PostgreSQL -------------------------------------------------------------


def _version_key(bindir: str) -> tuple[int, ...]:
    version = Path(bindir).parent.name
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def find_pg_bindir() -> Path:
    candidates = [d for d in glob.glob("/usr/lib/postgresql/*/bin") if os.path.isfile(f"{d}/pg_ctl")]
    if candidates:
        return Path(max(candidates, key=_version_key))
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl:
        return Path(pg_ctl).resolve().parent
    raise StartError(
        "PostgreSQL not found (no /usr/lib/postgresql/*/bin, no pg_ctl on PATH); run scripts/system-deps.sh test"
    )


def pg_command(bindir: Path, program: str, *args: str) -> list[str]:
    """The command line for a PostgreSQL program, as the postgres user when we are root."""
    command = [str(bindir / program), *args]
    if is_root():
        return ["runuser", "-u", PG_SYSTEM_USER, "--", *command]
    return command


def give_to_postgres(*paths: Path) -> None:
    """As root, hand folders to the postgres user, who runs the server."""
    if not is_root():
        return
    try:
        account = pwd.getpwnam(PG_SYSTEM_USER)
    except KeyError:
        raise StartError(f"running as root, but there is no {PG_SYSTEM_USER!r} user to run PostgreSQL") from None
    for path in paths:
        os.chown(path, account.pw_uid, account.pw_gid)


def run_pg(bindir: Path, workdir: Path, program: str, *args: str) -> subprocess.CompletedProcess[str]:
    # cwd=workdir: the postgres user may not be allowed into the caller's cwd.
    return subprocess.run(
        pg_command(bindir, program, *args),
        cwd=workdir,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )


def start_postgres(bindir: Path, workdir: Path, port: int, latch: SignalLatch) -> None:
    """initdb + pg_ctl start, with the data folder in workdir/pg."""
    datadir = workdir / "pg"
    logfile = workdir / "pg.log"
    datadir.mkdir(mode=0o700)
    give_to_postgres(workdir, datadir)  # workdir holds the socket and pg.log

    result = run_pg(
        bindir, workdir, "initdb",
        "-D", str(datadir), "-U", PG_USER, "-A", "trust", "-E", "UTF8",
        "--locale=C.UTF-8", "--no-sync",
    )  # fmt: skip
    latch.check()  # a Ctrl-C also reaches initdb, so report it rather than its failure
    if result.returncode != 0:
        raise StartError(f"initdb failed (exit {result.returncode}):\n{result.stdout}{result.stderr}")

    options = (
        f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off"
        " -c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
    )
    result = run_pg(
        bindir, workdir, "pg_ctl",
        "-D", str(datadir), "-w", "-t", str(PG_START_TIMEOUT_S), "-l", str(logfile), "-o", options, "start",
    )  # fmt: skip
    latch.check()
    if result.returncode != 0:
        raise StartError(
            f"PostgreSQL failed to start (pg_ctl exit {result.returncode}):\n"
            f"{result.stdout}{result.stderr}--- tail of {logfile} ---\n{tail(logfile)}"
        )
    log(f"postgres on 127.0.0.1:{port}")


def stop_postgres(bindir: Path, workdir: Path, datadir: Path) -> None:
    if not (datadir / "postmaster.pid").exists():
        return
    result = run_pg(bindir, workdir, "pg_ctl", "-D", str(datadir), "-w", "-m", "fast", "stop")
    if result.returncode == 0:
        log("postgres stopped")
    else:
        log(f"pg_ctl stop failed (exit {result.returncode}):\n{result.stdout}{result.stderr}")


# --- Redis ------------------------------------------------------------------


def redis_answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def spawn_redis(workdir: Path, port: int) -> subprocess.Popen[bytes]:
    executable = shutil.which("redis-server")
    if executable is None:
        raise StartError("redis-server not found on PATH; run scripts/system-deps.sh test")
    with (workdir / "redis.log").open("wb") as out:
        # A session of its own: a Ctrl-C meant for the command must not kill
        # Redis while the command is still cleaning up.
        return subprocess.Popen(
            [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(workdir)],
            cwd=workdir,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip


def wait_for_redis(process: subprocess.Popen[bytes], workdir: Path, port: int, latch: SignalLatch) -> None:
    logfile = workdir / "redis.log"
    deadline = time.monotonic() + REDIS_START_TIMEOUT_S
    while not redis_answers_ping(port):
        latch.check()
        if process.poll() is not None:
            raise StartError(f"redis-server exited with {process.returncode}:\n{tail(logfile)}")
        if time.monotonic() > deadline:
            raise StartError(
                f"redis-server did not answer PING on 127.0.0.1:{port}"
                f" within {REDIS_START_TIMEOUT_S:.0f} s:\n{tail(logfile)}"
            )
        time.sleep(0.05)
    log(f"redis on 127.0.0.1:{port}")


def stop_redis(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    log("redis stopped")


# --- The command ------------------------------------------------------------


def service_env(pg_port: int, redis_port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{PG_USER}@127.0.0.1:{pg_port}/postgres",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{redis_port}/0",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/1",
        # Never the address file of a `make run` started in this folder (supportdesk/settings.py).
        "SUPPORTDESK_SERVER_ENV": os.devnull,
    }


def run_command(command: list[str], env: dict[str, str]) -> int:
    """Run command in the foreground; returns its exit code (128+N if killed by signal N).

    Ctrl-C reaches the command directly (same process group), so we ignore
    SIGINT meanwhile and wait for it to finish; SIGTERM and SIGHUP are passed on.
    """
    try:
        process = subprocess.Popen(command, env=env)
    except FileNotFoundError:
        log(f"command not found: {command[0]}")
        return 127
    except PermissionError:
        log(f"command not executable: {command[0]}")
        return 126

    def forward(signum: int, _frame: FrameType | None) -> None:
        process.send_signal(signum)

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGHUP, forward)
    returncode = process.wait()
    return 128 - returncode if returncode < 0 else returncode


def ignore_signals() -> None:
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


def remove_workdir(workdir: Path) -> None:
    shutil.rmtree(workdir, ignore_errors=True)
    if workdir.exists():
        log(f"could not remove {workdir}")


def parse_command(argv: list[str]) -> list[str]:
    if argv[:1] in (["-h"], ["--help"]):
        print(__doc__)
        sys.exit(0)
    command = argv[1:] if argv[:1] == ["--"] else argv
    if not command:
        die("usage: python scripts/testenv.py -- <command...>")
    return command


def main(argv: list[str]) -> int:
    command = parse_command(argv)
    latch = SignalLatch()
    latch.install()

    workdir = Path(tempfile.mkdtemp(prefix="testenv-"))
    bindir: Path | None = None
    redis: subprocess.Popen[bytes] | None = None
    try:
        pg_port, redis_port = free_ports(2)
        bindir = find_pg_bindir()
        start_postgres(bindir, workdir, pg_port, latch)
        redis = spawn_redis(workdir, redis_port)
        wait_for_redis(redis, workdir, redis_port, latch)
        latch.check()
        return run_command(command, service_env(pg_port, redis_port))
    except StartError as exc:
        log(str(exc))
        return 1
    except Interrupted as exc:
        log(str(exc))
        return 128 + exc.signum
    finally:
        ignore_signals()  # a second Ctrl-C must not leave servers behind
        if redis is not None:
            stop_redis(redis)
        if bindir is not None:
            stop_postgres(bindir, workdir, workdir / "pg")
        remove_workdir(workdir)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
