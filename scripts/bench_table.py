#!/usr/bin/env python3
"""Run the benchmarks and print one table of their figures (``make bench``).

Usage: python scripts/bench_table.py [bench/wizard.py ...]     (default: every bench/*.py)

Each script runs under scripts/testenv.py, so on its own throwaway PostgreSQL and Redis, with
its output shown as it goes. A script reports its figures on a line of its own:

    BENCH bench=wizard wizard_rps=412.0 wizard_p95_ms=38.1 ... result=pass

(``key=value`` pairs separated by spaces; ``bench`` names it, the file name when missing).
A figure with a target says so in a pair of its own, ``target_<figure>=<op><value>``, the
operator one of < <= > >= =:

    BENCH bench=dashboard dashboard_ms=212 target_dashboard_ms=<300 ratio=0.8 target_ratio=>=0.75

When every script has finished, the table lists each script's figures from its last BENCH line
with their targets and pass or FAIL, its exit status and time; a script without a BENCH line
gets its last line of output instead. Exits 1, after printing the table, when a script exited
non-zero (a missed target or a failure) or a figure misses its target.

bench/_*.py are helpers of the scripts, not scripts: they are not run.

Standard library only.
"""

from __future__ import annotations

import operator
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTENV = ROOT / "scripts" / "testenv.py"
BENCH_PREFIX = "BENCH "
TARGET_PREFIX = "target_"
# Longest first: "<=" is not "<" followed by "=0".
OPERATORS = {"<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt,
             "=": operator.eq}


@dataclass
class Run:
    script: str
    status: int = 0
    seconds: float = 0.0
    figures: dict[str, str] = field(default_factory=dict)
    last_line: str = ""

    @property
    def targets(self) -> dict[str, str]:
        """{figure: target} from the ``target_<figure>`` pairs."""
        return {key.removeprefix(TARGET_PREFIX): value for key, value in self.figures.items()
                if key.startswith(TARGET_PREFIX)}

    @property
    def missed(self) -> list[str]:
        """The figures that miss their target (a missing or unreadable figure misses it)."""
        return [figure for figure, target in self.targets.items()
                if verdict(self.figures.get(figure), target) != "pass"]


def parse_bench_line(line: str) -> dict[str, str]:
    """'BENCH bench=wizard a=1 b=x' → {'bench': 'wizard', 'a': '1', 'b': 'x'}; pairs without
    '=' are ignored."""
    pairs = (word.split("=", 1) for word in shlex.split(line[len(BENCH_PREFIX):]) if "=" in word)
    return {key: value for key, value in pairs}


def verdict(value: str | None, target: str) -> str:
    """'pass' or 'FAIL' for a figure against its target ('<300', '>=0.75', '=0'); 'FAIL' too
    when the figure is missing or either is not a number."""
    op = next((op for op in OPERATORS if target.startswith(op)), None)
    if value is None or op is None:
        return "FAIL"
    try:
        return "pass" if OPERATORS[op](float(value), float(target[len(op):])) else "FAIL"
    except ValueError:
        return "FAIL"


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
    rows: list[tuple[str, ...]] = []
    for run in runs:
        name = run.figures.get("bench") or Path(run.script).stem
        status = "ok" if run.status == 0 else f"exit {run.status}"
        rows.append((name, "(run)", f"{status}, {run.seconds:.0f} s", "", ""))
        targets = run.targets
        figures = {key: value for key, value in run.figures.items()
                   if key != "bench" and not key.startswith(TARGET_PREFIX)}
        if not figures and not targets:
            rows.append((name, "(no BENCH line) last output", run.last_line[:100], "", ""))
        for key, value in figures.items():
            target = targets.get(key, "")
            rows.append((name, key, value, target, verdict(value, target) if target else ""))
        # A target whose figure the script did not print: missed.
        rows.extend((name, key, "(missing)", target, "FAIL")
                    for key, target in targets.items() if key not in figures)
    header = ("bench", "figure", "value", "target", "result")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
           "  ".join("-" * width for width in widths)]
    previous = None
    for name, *cells in rows:
        shown = [name if name != previous else "", *cells]
        out.append("  ".join(cell.ljust(width) for cell, width in zip(shown, widths, strict=True)).rstrip())
        previous = name
    return "\n".join(out)


def main(argv: list[str]) -> int:
    if argv[:1] in (["-h"], ["--help"]):
        print(__doc__)
        return 0
    scripts = argv or sorted(str(path.relative_to(ROOT)) for path in (ROOT / "bench").glob("*.py")
                             if not path.name.startswith("_"))
    if not scripts:
        print("bench_table: no bench/*.py to run", file=sys.stderr)
        return 2
    runs = [run_script(script) for script in scripts]
    print(f"\n=== make bench: {len(runs)} scripts ===")
    print(table(runs))
    missed = [f"{run.figures.get('bench') or Path(run.script).stem}.{figure}"
              for run in runs for figure in run.missed]
    failed = [run.script for run in runs if run.status != 0]
    if missed or failed:
        print(f"\nmake bench: FAIL ({', '.join(missed + [f'{script} exited non-zero' for script in failed])})")
        return 1
    print("\nmake bench: every target met")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
