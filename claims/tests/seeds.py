"""Where the tests find the shared seed articles: ../shared/seeds beside the checkout (or beside
the directory holding a worktree). On a machine without them the seed tests skip, except where
FACTCHECK_REQUIRE_SEEDS=1 (CI sets it in .ci/run): there a missing directory fails the run, so a
moved or renamed seeds directory cannot turn those tests into silent skips."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRE_ENV = "FACTCHECK_REQUIRE_SEEDS"


def find_seeds(root: Path = ROOT) -> Path | None:
    """The first shared/seeds directory next to `root` or next to its parent, if there is one."""
    for candidate in (root.parent / "shared" / "seeds", root.parent.parent / "shared" / "seeds"):
        if candidate.is_dir():
            return candidate
    return None


# Where the seeds are, or where they are expected (so module-level file paths can still be built).
SEEDS = find_seeds() or ROOT.parent / "shared" / "seeds"


def require_seeds(seeds: Path | None = None) -> Path:
    """The seeds directory; skip the calling test without it, or fail when they are required."""
    seeds = SEEDS if seeds is None else seeds
    if not seeds.is_dir():
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{REQUIRE_ENV}=1 but the seed articles are not at {seeds}")
        pytest.skip(f"seed articles not available at {seeds}")
    return seeds


# Mark for tests that read the seeds; the fixture (conftest.py) calls require_seeds().
needs_seeds = pytest.mark.usefixtures("seed_dir")
