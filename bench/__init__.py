"""Factcheck benchmarks: `python -m bench` (see docs/PERFORMANCE.md). Every figure is a ratio to
a floor measured in the same run, on a database of its own (bench/environment.py)."""
