"""Timing and memory helpers, and the result record every benchmark returns."""

import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass, field


class Skip(Exception):
    """The benchmark cannot run here (a piece of the app is missing); the message says why."""


@dataclass
class Timing:
    median_ms: float
    p95_ms: float
    runs: int
    peak_kib: float | None = None  # Python allocations at peak during one run (tracemalloc)

    @property
    def per_second(self) -> float:
        return 1000 / self.median_ms if self.median_ms else float("inf")


@dataclass
class Result:
    name: str
    ours: Timing
    floor: Timing | None = None
    floor_label: str = ""
    target: float | None = None  # the ratio ours/floor must not exceed
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        return self.ours.median_ms / self.floor.median_ms if self.floor and self.floor.median_ms else None

    @property
    def met(self) -> bool | None:
        return None if self.target is None or self.ratio is None else self.ratio <= self.target

    def as_dict(self) -> dict:
        data = asdict(self)
        data.update(ratio=self.ratio, met=self.met)
        return data


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure(fn: Callable[[], object], *, runs: int = 25, warmup: int = 3, memory: bool = True) -> Timing:
    """Median and p95 wall time of `fn` over `runs` calls after `warmup` calls, then one traced call
    for the peak of Python allocations (tracemalloc slows code down, so it is not timed)."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    peak = None
    if memory:
        tracemalloc.start()
        try:
            fn()
            peak = tracemalloc.get_traced_memory()[1] / 1024
        finally:
            tracemalloc.stop()
    return Timing(statistics.median(samples), percentile(samples, 0.95), runs, peak)


def measure_pair(
    ours: Callable[[], object], floor: Callable[[], object], *, runs: int = 25, warmup: int = 3
) -> tuple[Timing, Timing]:
    """`measure` for ours and its floor, call by call in turn (ours, floor, ours, floor…) after
    `warmup` calls of each: both see the same machine load and the same warm caches. Timing one
    after the other let a burst of load from another process, or rows the second one found
    already cached, decide the ratio."""
    for _ in range(warmup):
        ours()
        floor()
    ours_samples, floor_samples = [], []
    for _ in range(runs):
        started = time.perf_counter()
        ours()
        ours_samples.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        floor()
        floor_samples.append((time.perf_counter() - started) * 1000)
    peaks = []
    for fn in (ours, floor):
        tracemalloc.start()
        try:
            fn()
            peaks.append(tracemalloc.get_traced_memory()[1] / 1024)
        finally:
            tracemalloc.stop()
    return from_samples(ours_samples, peaks[0]), from_samples(floor_samples, peaks[1])


def from_samples(samples: list[float], peak_kib: float | None = None) -> Timing:
    return Timing(statistics.median(samples), percentile(samples, 0.95), len(samples), peak_kib)
