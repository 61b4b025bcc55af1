"""scripts/bench_table.py: the BENCH lines become one table with each figure's target and pass or
FAIL, a script without one still shows up with its status and last line, and a missed target
fails make bench."""

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

    assert lines[0].split() == ["bench", "figure", "value", "target", "result"]
    assert lines[2].split() == ["wizard", "(run)", "ok,", "61", "s"]
    assert lines[3].split() == ["wizard_rps", "412.5"]
    assert lines[4].split() == ["ratio", "0.71"]
    assert lines[5].split() == ["ec_batch", "(run)", "exit", "1,", "12", "s"]
    assert "rows per second: 5,000" in lines[6]


def test_it_shows_each_figure_with_its_target_and_verdict():
    run = bench_table.collect("bench/dashboard.py", [
        "BENCH bench=dashboard cases=1000000 dashboard_ms=212 target_dashboard_ms=<300 "
        "case_list_ms=61 target_case_list_ms=<50 ratio=0.75 target_ratio=>=0.75",
    ])

    lines = bench_table.table([run]).splitlines()

    assert lines[3].split() == ["cases", "1000000"]
    assert lines[4].split() == ["dashboard_ms", "212", "<300", "pass"]
    assert lines[5].split() == ["case_list_ms", "61", "<50", "FAIL"]
    assert lines[6].split() == ["ratio", "0.75", ">=0.75", "pass"]
    assert run.missed == ["case_list_ms"]


def test_it_reads_every_operator():
    assert bench_table.verdict("0", "=0") == "pass"
    assert bench_table.verdict("1", "=0") == "FAIL"
    assert bench_table.verdict("20.0", "<=20") == "pass"
    assert bench_table.verdict("20.0", "<20") == "FAIL"
    assert bench_table.verdict("0.6", ">0.5") == "pass"


def test_it_fails_a_target_whose_figure_is_missing_or_not_a_number():
    run = bench_table.collect("bench/noyo_poll.py", [
        "BENCH bench=noyo_poll target_first_poll_s=<60 second_poll_s=n/a target_second_poll_s=<60",
    ])

    assert run.missed == ["first_poll_s", "second_poll_s"]
    rows = [line.split() for line in bench_table.table([run]).splitlines()]
    assert ["second_poll_s", "n/a", "<60", "FAIL"] in rows
    assert ["first_poll_s", "(missing)", "<60", "FAIL"] in rows


def test_it_exits_1_when_a_target_is_missed_though_the_script_exited_0(monkeypatch, capsys):
    def run_script(script):
        run = bench_table.collect(script, ["BENCH bench=ec_batch seconds=25.1 target_seconds=<=20"])
        run.status = 0
        return run

    monkeypatch.setattr(bench_table, "run_script", run_script)

    assert bench_table.main(["bench/ec_batch.py"]) == 1
    assert "ec_batch.seconds" in capsys.readouterr().out


def test_it_runs_no_helper_module_of_the_bench_folder(monkeypatch):
    ran = []

    def run_script(script):
        ran.append(script)
        return bench_table.Run(script)

    monkeypatch.setattr(bench_table, "run_script", run_script)

    assert bench_table.main([]) == 0
    assert ran and not [script for script in ran if script.startswith("bench/_")]
