"""Shared result table for the benchmarks: one line per target, and the tally at the end."""

RESULTS: list[tuple[str, bool]] = []


def report(name: str, ours: float, floor: float, target: float, unit: str = "ms") -> None:
    ratio = ours / floor
    ok = ratio <= target
    RESULTS.append((name, ok))
    print(f"{name:<46} ours {ours:9.2f} {unit}  floor {floor:9.2f} {unit}  ratio {ratio:5.2f}x "
          f"(target <= {target}x)  {'PASS' if ok else 'FAIL'}", flush=True)


def verdict(name: str, ok: bool, text: str) -> None:
    """A target that is not a ratio (memory, responsiveness)."""
    RESULTS.append((name, ok))
    print(f"{name:<46} {text}  {'PASS' if ok else 'FAIL'}", flush=True)
