"""Embedding cost: model load time, throughput batched and one at a time, resident memory.

    .venv/bin/python bench/matching_embeddings.py [--sentences 2000] [--batch 256]

Runs without Django or a database (the encoder alone), so the numbers are the model's. On the
shared 2-core host (load average ~8), 2026-12: load 4.9 s, 148 MB resident loaded, 158 MB peak;
269 sentences/s in batches of 256, 94/s one at a time (one BLAS thread; 35/s and 5/s with a
thread per core).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from claims.tests.language_samples import SENTENCES  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=256)
    args = parser.parse_args()
    texts = [f"{text} ({n})" for n in range(args.sentences // len(SENTENCES) + 1) for _, text in SENTENCES]
    texts = texts[: args.sentences]
    before = rss_mb()
    started = time.perf_counter()
    from claims.matching.embeddings import embed_texts

    embed_texts(["warm up"])
    loaded = time.perf_counter() - started
    after_load = rss_mb()
    started = time.perf_counter()
    for start in range(0, len(texts), args.batch):
        embed_texts(texts[start : start + args.batch])
    batched = len(texts) / (time.perf_counter() - started)
    started = time.perf_counter()
    for text in texts[:100]:
        embed_texts([text])
    single = 100 / (time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"load {loaded:.1f} s; RSS {before:.0f} MB before, {after_load:.0f} MB loaded, peak {peak:.0f} MB; "
        f"{batched:.0f} sentences/s in batches of {args.batch}, {single:.0f}/s one at a time"
    )


if __name__ == "__main__":
    main()
