"""Generate N realistic ClaimReview items as JSON Lines (for the import benchmark).

    python bench/claimreview_items.py 100000 > /tmp/claimreviews.jsonl

Shapes vary as publishers' do: http/https contexts, author as object or list, appearance as URL or
CreativeWork, labels in several languages and whole sentences, numeric-only ratings, missing
optional fields. Deterministic (seeded), streamed: constant memory whatever N.
"""

from __future__ import annotations

import json
import random
import sys

LABELS = [
    "False", "Pants on Fire", "Mostly True", "Half True", "Misleading", "True", "Mostly False",
    "Falso", "Engañoso", "Plutôt vrai", "Irreführend", "Missing context",
    "This claim is not supported by the official statistics.", "Four Pinocchios", "Unproven",
]  # fmt: skip
UNITS = ["million", "percent", "km"]
TOPICS = ["population", "oil imports", "corridor length", "drone range", "trade volume", "gas exports"]


def item(n: int, rng: random.Random) -> dict:
    checker = rng.randrange(200)
    claimant = rng.randrange(20_000)
    checker_node = {"@type": "Organization", "name": f"Checker {checker}", "url": f"https://checker{checker}.example/"}
    claimant_node = {"@type": rng.choice(["Person", "Organization"]), "name": f"Claimant {claimant}"}
    review = {
        "@context": rng.choice(["https://schema.org", "http://schema.org"]),
        "@type": "ClaimReview",
        "url": f"https://checker{checker}.example/fact-checks/{n}/claim-{n}",
        "datePublished": f"20{rng.randrange(18, 26)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
        "author": checker_node if rng.random() < 0.7 else [checker_node],
        "claimReviewed": f"Claim {n}: the {rng.choice(TOPICS)} figure is {rng.randrange(1, 999)} {rng.choice(UNITS)}.",
        "itemReviewed": {
            "@type": "Claim",
            "author": claimant_node if rng.random() < 0.8 else [claimant_node],
            "appearance": [
                f"https://news{rng.randrange(500)}.example/story/{n}"
                if rng.random() < 0.5
                else {"@type": "CreativeWork", "url": f"https://news{rng.randrange(500)}.example/a/{n}-{k}"}
                for k in range(rng.randrange(0, 3))
            ],
        },
        "reviewRating": {"@type": "Rating", "alternateName": rng.choice(LABELS)}
        if rng.random() < 0.9
        else {"@type": "Rating", "ratingValue": rng.randrange(1, 6), "bestRating": 5, "worstRating": 1},
    }
    if rng.random() < 0.5:
        review["description"] = f"Our review of claim {n}."
    return review


def main(count: int, out=sys.stdout, seed: int = 7) -> None:
    rng = random.Random(seed)
    for n in range(count):
        out.write(json.dumps(item(n, rng), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
