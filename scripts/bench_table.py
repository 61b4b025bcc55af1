#!/usr/bin/env python3
"""Run the benchmarks and print one table of their figures (``make bench``).

Usage: python scripts/bench_table.py [bench/wizard.py ...]     (default: every bench/*.py)

Each script runs under scripts/testenv.py, so on its own throwaway PostgreSQL and Redis, with
its output shown as it goes. A script reports its figures on a line of its own:

    BENCH bench=wizard wizard_rps=412.0 wizard_p95_ms=38.1 ... result=pass

(``key=value`` pairs separated by spaces; ``bench`` names it, the file name when missing). When
every script has finished, the table lists each script's figures from its last BENCH line, its
exit status and time; a script without a BENCH line gets its last line of output instead. Exits
1 when a script exited non-zero (a missed target or a failure), after printing the table.

Standard library only.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTENV = ROOT / "scripts" / "testenv.py"
BENCH_PREFIX = "BENCH "


@dataclass
class Run:
    script: str
    status: int = 0
    seconds: float = 0.0
    figures: dict[str, str] = field(default_factory=dict)
    last_line: str = ""


def parse_bench_line(line: str) -> dict[str, str]:
    """'BENCH bench=wizard a=1 b=x' → {'bench': 'wizard', 'a': '1', 'b': 'x'}; pairs without
    '=' are ignored."""
    pairs = (word.split("=", 1) for word in shlex.split(line[len(BENCH_PREFIX):]) if "=" in word)
    return {key: value for key, value in pairs}


def collect(script: str, lines: list[str]) -> Run:
    run = Run(script)
    for line in lines:
        if line.startswith(BENCH_PREFIX):
            run.figures = parse_bench_line(line)
        elif line.strip() and not line.startswith("testenv:"):
            run.last_line = line.strip()
    return run


def run_script(script: str) -> Run:
    command = [sys.executable, str(TESTENV), "--", sys.executable, script]
    print(f"\n=== {script} ===", flush=True)
    started = time.monotonic()
    lines: list[str] = []
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, bufsize=1) as process:
        assert process.stdout is not None
        for line in process.stdout:
            print(line, end="", flush=True)
            lines.append(line.rstrip("\n"))
    run = collect(script, lines)
    run.status = process.returncode
    run.seconds = time.monotonic() - started
    return run


def table(runs: list[Run]) -> str:
    rows: list[tuple[str, str, str]] = []
    for run in runs:
        name = run.figures.get("bench") or Path(run.script).stem
        status = "ok" if run.status == 0 else f"exit {run.status}"
        rows.append((name, "(run)", f"{status}, {run.seconds:.0f} s"))
        figures = {key: value for key, value in run.figures.items() if key != "bench"}
        if not figures:
            rows.append((name, "(no BENCH line) last output", run.last_line[:100]))
        rows.extend((name, key, value) for key, value in figures.items())
    widths = [max(len(row[i]) for row in [("bench", "figure", "value"), *rows]) for i in range(3)]
    line = "  ".join("-" * width for width in widths)
    out = ["  ".join([*(h.ljust(w) for h, w in zip(("bench", "figure"), widths[:2], strict=True)), "value"]), line]
    previous = None
    for name, key, value in rows:
        out.append("  ".join([(name if name != previous else "").ljust(widths[0]),
                              key.ljust(widths[1]), value]))
        previous = name
    return "\n".join(out)


def main(argv: list[str]) -> int:
    if argv[:1] in (["-h"], ["--help"]):
        print(__doc__)
        return 0
    scripts = argv or sorted(str(path.relative_to(ROOT)) for path in (ROOT / "bench").glob("*.py"))
    if not scripts:
        print("bench_table: no bench/*.py to run", file=sys.stderr)
        return 2
    runs = [run_script(script) for script in scripts]
    print(f"\n=== make bench: {len(runs)} scripts ===")
    print(table(runs))
    return 0 if all(run.status == 0 for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
