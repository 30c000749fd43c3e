"""bp-tui benchmarks: each target is a ratio against a floor measured side by side in this run.

    python bench/run.py                # every benchmark (the soak alone takes five minutes)
    python bench/run.py train keys     # only some: train, batch, memory, startup, keys, fastforward, limits,
                                       # soak, serve

Prints the measured figures, the ratio, the target, and PASS/FAIL; exits 1 if any target fails.
Timings take the best of several repeats, which is what a noisy shared machine can measure.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

# numpy's BLAS on one thread, for bp-tui and its floor alike, set before numpy loads. Its worker
# threads share the two cores with everything else on a shared machine, and the small matrices of
# the batch target gain nothing from them: with them, the best of 30 runs of the same floor ranged
# from 66 to 90 ms and the batch ratio read 1.18x to 1.40x from one run to the next.
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import bp_tui  # noqa: E402
from big_scenario import big_scenario_text  # noqa: E402
from floors import mazur_floor, numpy_floor  # noqa: E402
from report import RESULTS, report, verdict  # noqa: E402

def best_of(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def side_by_side(ours, floor, repeats: int) -> tuple[float, float]:
    """The best of `repeats` runs of each, in ms, taken in turns: a busy moment on a shared machine
    falls on both."""
    ours_times, floor_times = [], []
    for _ in range(repeats):
        ours_times.append(best_of(ours, 1))
        floor_times.append(best_of(floor, 1))
    return min(ours_times) * 1000, min(floor_times) * 1000


def same_as_floor(result, floor) -> None:
    """The floor must give what `train` gives, to the last bit: a floor that does less cannot pass."""
    errors, weights = floor
    assert repr(result.errors) == repr(errors), "the floor's errors differ from train's"
    assert repr(result.weights) == repr(weights), "the floor's weights differ from train's"


def bench_train() -> None:
    """Target 1: train(mazur, 10000) vs a pure-Python loop written for exactly that network (floors.py)."""
    scenario = bp_tui.load_scenario("mazur")
    same_as_floor(bp_tui.train(scenario, 10_000), mazur_floor(10_000))
    ours, floor = side_by_side(lambda: bp_tui.train(scenario, 10_000), lambda: mazur_floor(10_000), 9)
    report("1. train mazur 10,000 epochs", ours, floor, 1.3)


def bench_batch() -> None:
    """Target 2: 4-16-16-3 softmax, 150 samples, batch, 300 epochs vs numpy written for it (floors.py)."""
    scenario = bp_tui.parse_scenario(big_scenario_text(), "bench:big")
    same_as_floor(bp_tui.train(scenario, 300), numpy_floor(scenario, 300))
    ours, floor = side_by_side(lambda: bp_tui.train(scenario, 300), lambda: numpy_floor(scenario, 300), 9)
    report("2. 4-16-16-3 softmax batch, 150 samples x 300", ours, floor, 1.3)


def resident_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def bench_memory() -> None:
    """Target 6: 100,000 epochs in the stepper, then step back through history: <= 50 MB growth."""
    stepper = bp_tui.Stepper(bp_tui.load_scenario("mazur"))
    stepper.records  # noqa: B018 - warm the first round
    before = resident_mb()
    stepper.goto_epoch(100_000)
    for _ in range(200):  # back across several rounds, then jumps far back
        stepper.back()
    for epoch in (75_000, 50_000, 12_345, 1):
        stepper.goto_epoch(epoch)
        stepper.back()
    grown = resident_mb() - before
    verdict("6. memory after 100,000 epochs + stepping back", grown <= 50,
            f"grew {grown:6.1f} MB (target <= 50 MB)")


BENCHES = {"train": bench_train, "batch": bench_batch, "memory": bench_memory}


def main(argv: list[str]) -> int:
    try:
        import pty_bench  # the terminal benchmarks need the app; see pty_bench.py

        BENCHES.update(pty_bench.BENCHES)
        import limits_bench  # the largest scenario each limit allows: engine, app, trace, export

        BENCHES.update(limits_bench.BENCHES)
        import soak  # random keys through Pilot for 5 minutes (BP_TUI_SOAK_SECONDS); see soak.py

        BENCHES["soak"] = soak.bench_soak
    except ImportError as exc:
        print(f"(terminal benchmarks unavailable: {exc})")
    try:
        import serve_load  # 20 browser tabs' sessions on bp-tui serve at once; see serve_load.py

        BENCHES["serve"] = serve_load.bench_serve
    except ImportError as exc:
        print(f"(the serve benchmark is unavailable: {exc}; pip install '.[test]')")
    chosen = argv or list(BENCHES)
    print(f"python {sys.version.split()[0]} on {os.uname().machine}, {os.cpu_count()} cores")
    for name in chosen:
        BENCHES[name]()
    failed = [name for name, ok in RESULTS if not ok]
    print(f"\n{len(RESULTS) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
