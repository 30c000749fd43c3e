"""`python bench/run.py limits`: a limit is a promise (issue 20). For the largest scenario each limit
allows, and the network of issue 20, it measures:

- engine: from nothing to the first window of sub-steps (load, stepper, window), the slowest move
  inside a round and the slowest move that needs a round's end (enter, into the next round), and
  the resident memory at the end (each scenario in a process of its own);
- app: on a pty at 120x40, spawn to the first screen (the header's "step 0 of"), the slowest key
  (key to first byte of the repaint) and the resident memory;
- trace and export (csv): the resident memory and the pace while they write, for TOOL_SECONDS each.

Targets: first screen within 2 s, every key within 100 ms, resident memory under 500 MB.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from limit_scenarios import AT_LIMIT, ISSUE
from pty_bench import PYTHON, Terminal, compile_bytecode
from report import verdict

FIRST_SCREEN = 2.0  # seconds
KEY = 0.100  # seconds
MEMORY = 500  # MB
APP_WAIT = 10.0  # seconds to wait for the app's first screen before giving up
TOOL_SECONDS = 15.0  # seconds of trace and export watched
MOVES = (["next"] * 10 + ["next_phase"] * 3 + ["prev_phase"] * 2 + ["back"] * 5
         + ["finish_round", "back", "next", "next", "back", "back", "prev_phase", "next_phase"])
ROUND_ENDS = {"finish_round"}  # and any move that crosses into another round (told by the epoch)
KEYS = [b" "] * 5 + [b"]", b"[", b"\x1b[D", b"\x1b[D", b"\r", b" ", b"\x1b[D"]

# For a child's code: its own peak resident memory in kB (VmHWM). Not ru_maxrss: on Linux that
# carries the parent's peak over exec, so a child of a large process would report the parent's size.
OWN_PEAK_KB = """
import resource
def own_peak_kb():
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""


class HeldMemory:
    """The memory the code inside `with HeldMemory() as held:` takes on top of what the process held
    when it began, in bytes: `held.now()` while it runs, `held.peak` once it has ended. (For the
    tests: tests/test_limits.py and tests/test_limits_app.py.)

    Read from the pages the kernel counts as resident (VmRSS, and VmHWM, its peak, reset at the
    start) rather than with tracemalloc, which makes every allocation two to three times slower.
    Memory freed before the start can be handed out again without a new page becoming resident:
    the free memory the allocators hold at the start (pymalloc's free blocks and pools and its
    objects' free lists, glibc's free heap) counts as taken from the start, so what the code takes
    that way still counts. (Two readings of `now()` differ by the change in resident memory alone:
    free memory left at the first can hide a little growth, so a test comparing readings runs in a
    fresh process, which holds little of it.) Where any of this cannot be read (no
    /proc/self/clear_refs to write, no glibc, no pymalloc statistics), it measures with tracemalloc.
    """

    def __enter__(self) -> "HeldMemory":
        gc.collect()  # (garbage collected later would leave free memory to reuse unseen: counted now)
        self.free = reusable_bytes()
        self.base = resident_bytes("VmRSS") if self.free is not None and reset_peak() else None
        if self.base is None:
            tracemalloc.start()
        return self

    def now(self) -> int:
        if self.base is None:
            return tracemalloc.get_traced_memory()[0]
        return resident_bytes("VmRSS") - self.base + self.free

    def __exit__(self, *_exc) -> None:
        if self.base is None:
            self.peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        else:
            self.peak = resident_bytes("VmHWM") - self.base + self.free


def resident_bytes(field: str) -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith(f"{field}:"))


def reset_peak() -> bool:
    """Set this process's peak resident memory (VmHWM) back to what is resident now (Linux 4.0+)."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
        resident_bytes("VmHWM")
        return True
    except (OSError, StopIteration):
        return False


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]


FREE_FIGURES = re.compile(r"^(?:# bytes in available blocks|\d+ unused pools \*|.* free .* bytes each) .*= +([\d,]+)$",
                          re.MULTILINE)


def reusable_bytes() -> int | None:
    """Bytes the allocators hold free for reuse, or None where they cannot be read."""
    try:
        mallinfo2 = ctypes.CDLL(None).mallinfo2  # glibc 2.33+
    except (OSError, AttributeError):
        return None
    mallinfo2.restype = _MallInfo2
    heap = mallinfo2().fordblks  # (the free chunks of every arena, fast bins and top included)
    stats = pymalloc_stats()
    if "# bytes in available blocks" not in stats:
        return None  # (Python without pymalloc, or statistics in another form)
    return heap + sum(int(figure.replace(",", "")) for figure in FREE_FIGURES.findall(stats))


def pymalloc_stats() -> str:
    """What sys._debugmallocstats writes (to the C-level stderr, so caught in a file)."""
    saved = os.dup(2)
    try:
        with tempfile.TemporaryFile() as caught:
            os.dup2(caught.fileno(), 2)
            try:
                sys._debugmallocstats()
            finally:
                os.dup2(saved, 2)
            caught.seek(0)
            return caught.read().decode(errors="replace")
    finally:
        os.close(saved)


ENGINE = OWN_PEAK_KB.replace("{", "{{").replace("}", "}}") + """
import json, sys, time
start = time.perf_counter()
import bp_tui
stepper = bp_tui.Stepper(bp_tui.load_scenario(sys.argv[1]))
stepper.window(0, 40)
first = time.perf_counter() - start
inside, ends = (0.0, ""), (0.0, "")
for move in sys.argv[2].split():
    epoch = stepper.epoch
    began = time.perf_counter()
    getattr(stepper, move)()
    stepper.window(stepper.k - 20, stepper.k + 20)
    stepper.current
    stepper.pending()
    taken = time.perf_counter() - began
    if move in {ends_moves} or stepper.epoch != epoch:
        ends = max(ends, (taken, move))
    else:
        inside = max(inside, (taken, move))
print(json.dumps({{"count": stepper.count, "first": first, "inside": inside, "ends": ends,
                  "rss": own_peak_kb() / 1024}}))
"""


def resident_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), in MB."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def engine(path: Path) -> dict:
    code = ENGINE.format(ends_moves=repr(ROUND_ENDS))
    out = subprocess.run([PYTHON, "-c", code, str(path), " ".join(MOVES)], capture_output=True, text=True,
                         timeout=600)
    if out.returncode:
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout)


def app(path: Path, state: str) -> dict:
    term = Terminal([PYTHON, "-m", "bp_tui", str(path)], 120, 40, {"XDG_STATE_HOME": state})
    try:
        try:
            first = term.wait_for_text("step 0 of", timeout=APP_WAIT)
        except TimeoutError:
            return {"first": None, "rss": resident_mb(term.pid)}
        term.read_for(1.0)
        worst = max(term.key_latency(key, timeout=5.0) for key in KEYS)
        return {"first": first, "worst": worst, "rss": resident_mb(term.pid)}
    finally:
        term.close()


def tool(argv: list[str], output: Path | None = None) -> dict:
    """Run a headless command for TOOL_SECONDS, then stop it as ctrl+c would: its peak resident
    memory, and what it wrote (to stdout, or into the temporary file of `output`)."""
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    written, lines, end = 0, 0, time.monotonic() + TOOL_SECONDS
    try:
        while time.monotonic() < end and child.poll() is None:
            ready, _, _ = select.select([child.stdout], [], [], 0.2)
            if ready:
                chunk = os.read(child.stdout.fileno(), 1 << 20)
                written, lines = written + len(chunk), lines + chunk.count(b"\n")
        rss = resident_mb(child.pid)
        if output is not None:
            temporary = list(output.parent.glob(f".{output.name}.*.tmp"))
            written = sum(p.stat().st_size for p in temporary)
            lines = sum(p.read_bytes().count(b"\n") for p in temporary)
        child.send_signal(signal.SIGINT)
        child.wait(10)
    finally:
        child.kill()
        child.wait()
    return {"rss": rss, "written": written, "lines": lines}


def bench_limits() -> None:
    compile_bytecode()
    cases = {**{name: make for name, (_what, make) in AT_LIMIT.items()}, "issue 20": ISSUE[1]}
    with tempfile.TemporaryDirectory(prefix="bp-tui-limits-") as folder:
        for name, make in cases.items():
            path = Path(folder) / f"{name.replace(' ', '-')}.toml"
            path.write_text(make(), encoding="utf-8")
            measure(name, path, folder)


def measure(name: str, path: Path, folder: str) -> None:
    found = engine(path)
    label = f"limits: {name}"
    print(f"{label}: {found['count']:,} sub-steps a round", flush=True)
    verdict(f"  engine first window", found["first"] <= FIRST_SCREEN, f"{found['first'] * 1000:7.0f} ms")
    taken, move = found["inside"]
    verdict(f"  engine worst move in a round", taken <= KEY, f"{taken * 1000:7.1f} ms ({move})")
    taken, move = found["ends"]
    print(f"  engine worst move to a round's end  {taken * 1000:7.1f} ms ({move}: a long computation, for "
          "the app's worker thread)", flush=True)
    verdict(f"  engine resident memory", found["rss"] <= MEMORY, f"{found['rss']:7.0f} MB")
    with tempfile.TemporaryDirectory(dir=folder) as state:
        shown = app(path, state)
    if shown["first"] is None:
        verdict(f"  app first screen", False, f"none within {APP_WAIT:.0f} s ({shown['rss']:.0f} MB)")
    else:
        verdict(f"  app first screen", shown["first"] <= FIRST_SCREEN, f"{shown['first'] * 1000:7.0f} ms")
        verdict(f"  app worst key", shown["worst"] <= KEY, f"{shown['worst'] * 1000:7.1f} ms")
        verdict(f"  app resident memory", shown["rss"] <= MEMORY, f"{shown['rss']:7.0f} MB")
    traced = tool([PYTHON, "-m", "bp_tui", "trace", str(path), "--plain", "--yes"])
    verdict(f"  trace resident memory", traced["rss"] <= MEMORY,
            f"{traced['rss']:7.0f} MB after {TOOL_SECONDS:.0f} s{pace(traced, 3, found['count'])}")
    target = Path(folder) / "out.csv"
    exported = tool([PYTHON, "-m", "bp_tui", "export", str(path), "--format", "csv", "-o", str(target), "--yes"],
                    target)
    verdict(f"  export resident memory", exported["rss"] <= MEMORY,
            f"{exported['rss']:7.0f} MB after {TOOL_SECONDS:.0f} s{pace(exported, 1, found['count'])}")


def pace(written: dict, lines_each: int, count: int) -> str:
    """How fast the sub-steps were written (`lines_each` lines each), and what the round would take."""
    per_second = written["lines"] / lines_each / TOOL_SECONDS
    if not per_second:
        return ""
    whole = count / per_second
    bytes_each = written["written"] / max(1, written["lines"] / lines_each)
    return (f" ({per_second:,.0f} sub-steps/s: the round in about {whole / 60:.0f} min, "
            f"{count * bytes_each / 2**30:.1f} GB)")


BENCHES = {"limits": bench_limits}


if __name__ == "__main__":
    sys.exit(bench_limits())
