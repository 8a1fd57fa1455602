"""The benchmark script runs and reports what it promises (a smoke test on tiny shapes:
timings are printed by the script, never asserted here)."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_layer_benchmark_reports_every_cell(tmp_path):
    out = tmp_path / "figures.json"
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "layers.py"), "--shape", "2,3,4,5",
                          "--shape", "3,4,2,6", "--repeats", "2", "--no-torch", "--json", str(out)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    figures = json.loads(out.read_text())
    rows = {(r["cell"], tuple(r["shape"])) for r in figures["rows"]}
    assert rows == {(c, s) for c in ("rnn", "lstm", "gru") for s in ((2, 3, 4, 5), (3, 4, 2, 6))}
    for r in figures["rows"]:
        assert set(r["median_ms"]) == {"teaching fwd", "teaching fwd+bwd", "fast fwd", "fast fwd+bwd"}
        assert all(v > 0 for v in r["median_ms"].values())
        assert r["agreement"]["teaching vs fast"] < 1e-5          # float32: the two versions agree
        assert all(v > 0 for v in r["peak_mib"].values())
    assert "sigmoid via exp (fast)" in figures["elementwise_ns"]
    for cell in ("rnn", "lstm", "gru"):
        assert f"{cell:5}" in run.stdout


def test_layer_benchmark_rejects_a_bad_shape():
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "layers.py"), "--shape", "2,3,4"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "--shape takes four positive integers" in run.stderr


def test_class_throughput_benchmark_reports_notebooks_per_minute(tmp_path):
    """One notebook, one worker, SQLite: the script grades it and prints the rate (PostgreSQL rows: tests/test_class_e2e.py runs that server)."""
    out = tmp_path / "throughput.json"
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "class_throughput.py"), "--students", "1",
                          "--jobs", "1", "--backends", "sqlite", "--json", str(out)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    (row,) = json.loads(out.read_text())["rows"]
    assert row["backend"] == "sqlite" and row["workers"] == 1 and row["notebooks_per_minute"] > 0
    assert "notebooks/min" in run.stdout


def test_class_throughput_benchmark_rejects_bad_arguments():
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "class_throughput.py"), "--jobs", "0"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "--jobs" in run.stderr
