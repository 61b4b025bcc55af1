#!/usr/bin/env python3
"""Run a command on the embedded default of `make run`, in a throwaway folder.

Usage: python scripts/embeddedenv.py -- <command...>

`make test` runs tests/embedded this way, after the PostgreSQL pass: the settings are make run's
(SQLite file database, no Redis), except that the database lives in a temporary folder, so a
`make run` in this checkout is never touched, and Celery tasks run in the calling process
(CELERY_TASK_ALWAYS_EAGER, kombu's in-memory broker): there is no worker, and make run's
filesystem broker folder under var/ belongs to make run's worker. The folder is removed
afterwards, whatever happened. Exits with the command's exit code. Standard library only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def embedded_env(folder: Path) -> dict[str, str]:
    # No REDIS_URL: the cache is each process's memory, as under make run.
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env["DATABASE_URL"] = f"sqlite:///{folder / 'supportdesk.sqlite3'}"
    env["CELERY_BROKER_URL"] = "memory://"
    env["CELERY_TASK_ALWAYS_EAGER"] = "true"
    env["SUPPORTDESK_SERVER_ENV"] = os.devnull  # never a `make run`'s address file
    return env


def main(argv: list[str]) -> int:
    command = argv[1:] if argv[:1] == ["--"] else argv
    if not command or command[0] in {"-h", "--help"}:
        print(__doc__)
        return 0 if command else 2
    folder = Path(tempfile.mkdtemp(prefix="embeddedenv-"))
    try:
        return subprocess.run(command, env=embedded_env(folder)).returncode
    except KeyboardInterrupt:
        return 130
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
