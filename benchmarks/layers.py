"""Benchmark the recurrent layers: teaching version, fast version, and PyTorch when installed.

    .venv/bin/python benchmarks/layers.py              # course-sized and large shapes, 1 thread
    .venv/bin/python benchmarks/layers.py --quick      # course-sized shapes only (about 30 s)
    .venv/bin/python benchmarks/layers.py --threads 2  # both libraries with 2 threads

PyTorch is optional (`.venv/bin/pip install torch==2.13.0` on the course machines, a CPU
build). For every cell (RNN, LSTM, GRU) and shape (N, T, D, H) it prints the median over
repeats of the forward pass and of forward + backward (gradients of x, h0 and every weight),
for each implementation, in the same process, on the same inputs, in alternating order; the
ratios fast/teaching and fast/torch; how far the implementations' results are apart; and the
peak memory of one forward + backward: for the numpy versions the peak of what tracemalloc
traces (numpy reports every array to it), for PyTorch, which tracemalloc cannot see, the rise
of the peak resident set size in a fresh process (Linux only; pages of 4 KiB, so a little high).

Threads: numpy's BLAS and PyTorch get the same number (`--threads`, default 1, the setting
`make` uses); the variables are set before numpy or torch is imported.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time

COURSE_SHAPES = [(8, 50, 16, 32), (32, 100, 64, 128)]
LARGE_SHAPES = [(128, 200, 64, 512)]
CELLS = ("rnn", "lstm", "gru")
#: the issue's targets: LSTM forward+backward time of the fast version / PyTorch's, float32
TARGETS = {("lstm", (32, 100, 64, 128)): 1.0, ("lstm", (128, 200, 64, 512)): 1.3}


def _parse(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=1, help="BLAS/OpenMP threads for numpy and torch (default 1)")
    p.add_argument("--dtype", choices=("float32", "float64"), default="float32")
    p.add_argument("--quick", action="store_true", help="course-sized shapes only, fewer repeats")
    p.add_argument("--cells", default=",".join(CELLS), help="comma-separated subset of rnn,lstm,gru")
    p.add_argument("--repeats", type=int, default=None, help="repeats per measurement (default 15, 7 with --quick, 3 for large shapes)")
    p.add_argument("--shape", action="append", metavar="N,T,D,H",
                   help="measure this shape instead of the default ones (repeatable)")
    p.add_argument("--no-memory", action="store_true", help="skip the peak-memory measurements")
    p.add_argument("--no-torch", action="store_true", help="leave PyTorch out even when installed")
    p.add_argument("--json", metavar="FILE", help="also write every figure to FILE")
    p.add_argument("--_child", nargs=6, metavar=("IMPL", "CELL", "N", "T", "D", "H"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.threads < 1:
        p.error("--threads must be at least 1")
    try:
        args.shape = [tuple(int(v) for v in sh.split(",")) for sh in (args.shape or [])]
    except ValueError:
        p.error("--shape takes four positive integers N,T,D,H, e.g. --shape 32,100,64,128")
    if any(len(sh) != 4 or min(sh) < 1 for sh in args.shape):
        p.error("--shape takes four positive integers N,T,D,H, e.g. --shape 32,100,64,128")
    args.cells = [c.strip() for c in args.cells.split(",") if c.strip()]
    unknown = sorted(set(args.cells) - set(CELLS))
    if unknown:
        p.error(f"--cells: unknown {unknown}; choose from {', '.join(CELLS)}")
    return args


def _set_threads(n: int) -> None:
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(n)


# ---------------------------------------------------------------------------
# the three implementations behind one interface
# ---------------------------------------------------------------------------
def _inputs(cell, N, T, D, H, dtype, seed=0):
    import numpy as np
    rng = np.random.default_rng(seed)
    gates = {"rnn": 1, "lstm": 4, "gru": 3}[cell]
    k = 1.0 / np.sqrt(H)                                     # PyTorch's initialisation range
    w = {"W_xh": rng.uniform(-k, k, (gates * H, D)), "W_hh": rng.uniform(-k, k, (gates * H, H))}
    if cell == "gru":
        w["b_xh"], w["b_hh"] = rng.uniform(-k, k, gates * H), rng.uniform(-k, k, gates * H)
    else:
        w["b_h"] = rng.uniform(-k, k, gates * H)
    case = {"x": rng.standard_normal((N, T, D)), "h0": rng.standard_normal((N, H)) * 0.1, **w}
    if cell == "lstm":
        case["c0"] = rng.standard_normal((N, H)) * 0.1
    case = {key: v.astype(dtype) for key, v in case.items()}
    return case, rng.standard_normal((N, T, H)).astype(dtype)


def _numpy_impl(cell, fast):
    import rnncourse.cells.fast as f
    from rnncourse.cells import gru, lstm, rnn
    module = {"rnn": rnn, "lstm": lstm, "gru": gru}[cell]
    if fast:
        return getattr(f, f"{cell}_forward_fast"), getattr(f, f"{cell}_backward_fast")
    return getattr(module, f"{cell}_forward"), getattr(module, f"{cell}_backward")


class _NumpyRunner:
    def __init__(self, cell, case, dh, fast):
        self.forward_fn, self.backward_fn = _numpy_impl(cell, fast)
        self.case, self.dh = case, dh

    def forward(self):
        return self.forward_fn(**self.case)

    def forward_backward(self):
        h, cache = self.forward_fn(**self.case)
        return h, self.backward_fn(self.dh, cache)       # dx, dh0, [dc0,] weight grads


class _TorchRunner:
    """torch.nn.RNN/LSTM/GRU on the CPU with our weights (PyTorch's layout; our b_h -> bias_ih, bias_hh = 0)."""

    def __init__(self, cell, case, dh):
        import torch
        N, T, D = case["x"].shape
        H = case["h0"].shape[1]
        cls = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell]
        dtype = torch.float32 if case["x"].dtype.name == "float32" else torch.float64
        self.m = cls(D, H, batch_first=True).to(dtype)
        with torch.no_grad():
            self.m.weight_ih_l0.copy_(torch.from_numpy(case["W_xh"]))
            self.m.weight_hh_l0.copy_(torch.from_numpy(case["W_hh"]))
            if cell == "gru":
                self.m.bias_ih_l0.copy_(torch.from_numpy(case["b_xh"]))
                self.m.bias_hh_l0.copy_(torch.from_numpy(case["b_hh"]))
            else:
                self.m.bias_ih_l0.copy_(torch.from_numpy(case["b_h"]))
                self.m.bias_hh_l0.zero_()
        self.torch, self.cell = torch, cell
        self.x = torch.from_numpy(case["x"].copy()).requires_grad_()
        self.h0 = torch.from_numpy(case["h0"][None].copy()).requires_grad_()
        self.c0 = torch.from_numpy(case["c0"][None].copy()).requires_grad_() if cell == "lstm" else None
        self.dh = torch.from_numpy(dh)

    def _run(self):
        state = (self.h0, self.c0) if self.cell == "lstm" else self.h0
        return self.m(self.x, state)[0]

    def forward(self):
        return self._run()

    def forward_backward(self):
        for t in [self.x, self.h0, self.c0, *self.m.parameters()]:
            if t is not None:
                t.grad = None
        h = self._run()
        h.backward(self.dh)
        grads = [self.x.grad, self.h0.grad[0]] + ([self.c0.grad[0]] if self.c0 is not None else [])
        grads += [self.m.weight_ih_l0.grad, self.m.weight_hh_l0.grad]
        if self.cell == "gru":
            grads += [self.m.bias_ih_l0.grad, self.m.bias_hh_l0.grad]
        else:
            grads += [self.m.bias_ih_l0.grad]
        return h.detach().numpy(), [g.numpy() for g in grads]


def _runner(impl, cell, case, dh):
    if impl == "torch":
        return _TorchRunner(cell, case, dh)
    return _NumpyRunner(cell, case, dh, fast=(impl == "fast"))


def _torch_available():
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


# ---------------------------------------------------------------------------
# memory: one forward+backward in a fresh process (Linux: /proc/self/status, clear_refs)
# ---------------------------------------------------------------------------
def _rss_kib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def _child(args):
    impl, cell, *dims = args._child
    N, T, D, H = map(int, dims)
    import numpy as np
    if impl == "torch":
        import torch
        torch.set_num_threads(args.threads)
    case, dh = _inputs(cell, N, T, D, H, np.dtype(args.dtype))
    runner = _runner(impl, cell, case, dh)
    runner.forward_backward()                            # warm up: libraries' own one-time buffers
    with open("/proc/self/clear_refs", "w") as f:        # reset the peak to the current size
        f.write("5")
    before = _rss_kib("VmRSS")
    result = runner.forward_backward()
    peak = _rss_kib("VmHWM")
    print(json.dumps({"peak_mib": (peak - before) / 1024, "kept": len(result)}))


def _traced_peak(runner):
    """Peak of the memory allocated during one forward+backward, as traced by tracemalloc (numpy reports its arrays)."""
    import tracemalloc
    tracemalloc.start()
    try:
        runner.forward_backward()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def _peak_memory(impl, cell, shape, args):
    cmd = [sys.executable, __file__, "--threads", str(args.threads), "--dtype", args.dtype,
           "--_child", impl, cell, *map(str, shape)]
    # glibc keeps freed blocks for reuse and raises its mmap threshold as it goes, so a second
    # call could reuse the warm-up's memory without the resident size rising; a fixed threshold
    # makes every large array its own mapping, returned to the system when freed.
    env = {**os.environ, "MALLOC_MMAP_THRESHOLD_": "0", "MALLOC_TRIM_THRESHOLD_": "0"}
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=env)
    if out.returncode != 0:
        return float("nan")
    return json.loads(out.stdout.strip().splitlines()[-1])["peak_mib"]


# ---------------------------------------------------------------------------
# timing
# ---------------------------------------------------------------------------
def _agreement(a, b):
    """Largest absolute difference over the output and every gradient."""
    import numpy as np
    (ha, ga), (hb, gb) = a, b
    return max([float(np.max(np.abs(ha - hb)))] + [float(np.max(np.abs(x - y))) for x, y in zip(ga, gb)])


def _measure(cell, shape, impls, args, repeats):
    import numpy as np
    case, dh = _inputs(cell, *shape, np.dtype(args.dtype))
    runners = {impl: _runner(impl, cell, case, dh) for impl in impls}
    results = {impl: r.forward_backward() for impl, r in runners.items()}   # warm-up + results
    times = {(impl, kind): [] for impl in impls for kind in ("fwd", "fwd+bwd")}
    for rep in range(repeats):
        order = impls if rep % 2 == 0 else impls[::-1]     # alternate, so drift hits all alike
        for impl in order:
            for kind, fn in (("fwd", runners[impl].forward), ("fwd+bwd", runners[impl].forward_backward)):
                t0 = time.perf_counter()
                fn()
                times[(impl, kind)].append(time.perf_counter() - t0)
    row = {"cell": cell, "shape": list(shape), "dtype": args.dtype, "threads": args.threads,
           "repeats": repeats, "median_ms": {f"{i} {k}": 1e3 * float(np.median(v)) for (i, k), v in times.items()},
           "agreement": {f"{i} vs fast": _agreement(results[i], results["fast"]) for i in impls if i != "fast"}}
    if not args.no_memory:
        row["peak_mib"] = {impl: (_peak_memory(impl, cell, shape, args) if impl == "torch"
                                  else _traced_peak(runners[impl])) for impl in impls}
    return row


def _machine(args):
    import numpy as np
    info = {"python": platform.python_version(), "numpy": np.__version__,
            "platform": platform.platform(), "cpus": os.cpu_count(), "threads": args.threads}
    try:
        with open("/proc/cpuinfo") as f:
            info["cpu"] = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        info["cpu"] = platform.processor() or "unknown"
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg["Build Dependencies"]["blas"]
        info["blas"] = f"{blas.get('name')} {blas.get('version')}"
    except Exception:                                    # older numpy: no dict mode
        info["blas"] = "unknown"
    if "torch" in sys.modules:
        import torch
        info["torch"] = f"{torch.__version__} ({torch.get_num_threads()} threads)"
    try:
        with open("/proc/loadavg") as f:
            info["load average at start"] = f.read().split()[0]
    except OSError:
        pass
    return info


def _elementwise_costs(dtype):
    """ns per element of the gate nonlinearities on a (4H, N) = (512, 32) block."""
    import numpy as np
    from rnncourse.core.activations import sigmoid_unchecked
    a = np.random.default_rng(0).uniform(-4, 4, (512, 32)).astype(dtype)
    out = np.empty_like(a)

    def exp_route():                                     # what rnncourse.cells.fast does
        np.exp(a, out=out)
        np.add(out, 1.0, out=out)
        np.divide(1.0, out, out=out)

    def tanh_route():                                    # sigma(a) = (1 + tanh(a/2)) / 2
        np.multiply(a, 0.5, out=out)
        np.tanh(out, out=out)
        np.multiply(out, 0.5, out=out)
        np.add(out, 0.5, out=out)

    costs = {}
    for name, fn in (("np.tanh alone", lambda: np.tanh(a, out=out)), ("sigmoid via exp (fast)", exp_route),
                     ("sigmoid via tanh", tanh_route), ("stable sigmoid (teaching)", lambda: sigmoid_unchecked(a))):
        best = float("inf")
        for _ in range(5):
            t0 = time.perf_counter()
            for _ in range(200):
                fn()
            best = min(best, (time.perf_counter() - t0) / 200)
        costs[name] = 1e9 * best / a.size
    return costs


def main(argv=None):
    args = _parse(argv)
    _set_threads(args.threads)
    if args._child:
        return _child(args)
    import numpy as np
    use_torch = not args.no_torch and _torch_available()
    if use_torch:
        import torch
        torch.set_num_threads(args.threads)
    impls = ["teaching", "fast"] + (["torch"] if use_torch else [])
    shapes = args.shape or (COURSE_SHAPES + ([] if args.quick else LARGE_SHAPES))
    machine = _machine(args)
    print("# Recurrent layers: teaching vs fast" + (" vs PyTorch" if use_torch else " (PyTorch not installed)"))
    for k, v in machine.items():
        print(f"#   {k}: {v}")
    print(f"#   dtype: {args.dtype}; times are medians in ms; peak MiB of one forward+backward "
          "(numpy: tracemalloc; torch: resident-size rise in a fresh process)\n")
    costs = _elementwise_costs(np.dtype(args.dtype))
    print("gate nonlinearity, ns per element on a (512, 32) block: "
          + "; ".join(f"{k} {v:.2f}" for k, v in costs.items()) + "\n")
    head = (f"{'cell':5} {'N,T,D,H':>16}  {'impl':8} {'fwd ms':>9} {'fwd+bwd ms':>11} {'peak MiB':>9}"
            f"  {'fast/this fwd':>13} {'fast/this f+b':>13}  max |diff| vs fast")
    print(head)
    print("-" * len(head))
    rows = []
    for shape in shapes:
        for cell in args.cells:
            repeats = args.repeats or (3 if shape in LARGE_SHAPES else (7 if args.quick else 15))
            row = _measure(cell, shape, impls, args, repeats)
            rows.append(row)
            med = row["median_ms"]
            for impl in impls:
                fwd, fb = med[f"{impl} fwd"], med[f"{impl} fwd+bwd"]
                mem = row.get("peak_mib", {}).get(impl, float("nan"))
                r1 = med["fast fwd"] / fwd
                r2 = med["fast fwd+bwd"] / fb
                diff = "" if impl == "fast" else f"{row['agreement'][f'{impl} vs fast']:.1e}"
                print(f"{cell:5} {','.join(map(str, shape)):>16}  {impl:8} {fwd:9.2f} {fb:11.2f} {mem:9.2f}"
                      f"  {r1:13.2f} {r2:13.2f}  {diff}")
            print()
    if use_torch:
        print("targets (LSTM forward+backward, fast / PyTorch):")
        for (cell, shape), target in TARGETS.items():
            row = next((r for r in rows if r["cell"] == cell and tuple(r["shape"]) == shape), None)
            if row is None:
                continue
            ratio = row["median_ms"]["fast fwd+bwd"] / row["median_ms"]["torch fwd+bwd"]
            verdict = "met" if ratio <= target else f"missed by {100 * (ratio / target - 1):.0f}%"
            print(f"  {cell} {shape}: {ratio:.2f}x (target <= {target}x): {verdict}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": machine, "elementwise_ns": costs, "rows": rows}, f, indent=1)
        print(f"\nfigures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
