"""The matching evaluation set: claims with paraphrases, translations and near misses.

Each line of the `*.jsonl` files beside this module is one claim:

    {"id": "geo-001", "topic": "geopolitics", "language": "en", "text": "...",
     "paraphrase": "... (same language, other words)",
     "translations": {"ru": "...", "fa": "...", ...},
     "near_misses": [{"kind": "other-figure" | "other-place" | "question", "language": "en", "text": "..."}]}

Paraphrases and translations must find their claim; near misses (same subject, another figure or
place, or the claim turned into a question) must never be called "likely the same claim".

The split is fixed by the claim's id (a hash, not the file order), so that thresholds are tuned on
the held-out "dev" claims and reported on the "test" ones.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEV_SHARE = 4  # in 10: about 40 % of the claims tune the thresholds, the rest measure them


@dataclass(frozen=True)
class EvalClaim:
    id: str
    topic: str
    language: str
    text: str

    @property
    def split(self) -> str:
        return split_of(self.id)


@dataclass(frozen=True)
class Query:
    claim_id: str
    kind: str  # paraphrase, translation, other-figure, other-place, question
    language: str
    text: str

    @property
    def positive(self) -> bool:
        """Whether the query must find its claim (a near miss must not be called the same)."""
        return self.kind in ("paraphrase", "translation")


def split_of(claim_id: str) -> str:
    digest = hashlib.sha256(claim_id.encode()).digest()
    return "dev" if digest[0] % 10 < DEV_SHARE else "test"


def load(directory: Path = HERE) -> tuple[list[EvalClaim], list[Query]]:
    """All claims and queries of the set, checked: unique ids, every claim with a paraphrase and at
    least one translation, known near-miss kinds, no query that repeats its claim's text."""
    claims, queries, seen = [], [], set()
    for path in sorted(directory.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            where = f"{path.name}:{number}"
            if row["id"] in seen:
                raise ValueError(f"{where}: duplicate id {row['id']}")
            seen.add(row["id"])
            claim = EvalClaim(row["id"], row["topic"], row["language"], row["text"].strip())
            claims.append(claim)
            if not row.get("paraphrase") or not row.get("translations"):
                raise ValueError(f"{where}: a claim needs a paraphrase and translations")
            found = [Query(claim.id, "paraphrase", claim.language, row["paraphrase"])]
            for language, text in row["translations"].items():
                if language == claim.language:
                    raise ValueError(f"{where}: a translation into the claim's own language")
                found.append(Query(claim.id, "translation", language, text))
            for miss in row.get("near_misses", []):
                if miss["kind"] not in ("other-figure", "other-place", "question"):
                    raise ValueError(f"{where}: unknown near-miss kind {miss['kind']!r}")
                found.append(Query(claim.id, miss["kind"], miss["language"], miss["text"]))
            for query in found:
                if query.text.strip() == claim.text:
                    raise ValueError(f"{where}: a query repeats its claim")
            queries.extend(Query(q.claim_id, q.kind, q.language, q.text.strip()) for q in found)
    return claims, queries
