"""scripts/bench_table.py: the BENCH lines become one table, and a script without one still
shows up with its status and last line."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench_table.py"
spec = importlib.util.spec_from_file_location("bench_table", SCRIPT)
bench_table = sys.modules.setdefault("bench_table", importlib.util.module_from_spec(spec))
spec.loader.exec_module(bench_table)


def test_it_reads_the_last_bench_line_of_a_script():
    run = bench_table.collect("bench/wizard.py", [
        "testenv: postgres on 127.0.0.1:5432",
        "BENCH bench=wizard wizard_rps=1.0",
        "BENCH bench=wizard wizard_rps=412.5 wizard_p95_ms=38.1 result=pass",
        "testenv: postgres stopped",
    ])
    assert run.figures == {"bench": "wizard", "wizard_rps": "412.5", "wizard_p95_ms": "38.1",
                           "result": "pass"}


def test_it_prints_one_table_with_every_script():
    wizard = bench_table.collect("bench/wizard.py", ["BENCH bench=wizard wizard_rps=412.5 ratio=0.71"])
    wizard.seconds = 61.2
    batch = bench_table.collect("bench/ec_batch.py", ["built 10 groups", "rows per second: 5,000"])
    batch.status, batch.seconds = 1, 12.0

    lines = bench_table.table([wizard, batch]).splitlines()

    assert lines[0].split() == ["bench", "figure", "value"]
    assert lines[2].split() == ["wizard", "(run)", "ok,", "61", "s"]
    assert lines[3].split() == ["wizard_rps", "412.5"]
    assert lines[4].split() == ["ratio", "0.71"]
    assert lines[5].split() == ["ec_batch", "(run)", "exit", "1,", "12", "s"]
    assert "rows per second: 5,000" in lines[6]
