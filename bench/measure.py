"""Timing helpers the benchmarks share (run as `python bench/<name>.py`, so this folder is on the path)."""

import time


def timed(fn, repeat: int) -> tuple[list[float], object]:
    """Milliseconds of each of `repeat` calls, and the last call's result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def p(values: list[float], q: float) -> float:
    """The q-quantile (nearest rank) of the values."""
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]
