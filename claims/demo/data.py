"""The demo dataset, written in the project's own words from the two articles in shared/seeds/.

Claims are phrased neutrally; quotes are short. Outlet names are invented placeholders (the seed
texts do not name their publishers). Every verdict here is an *example* (`is_example=True`): its
rating and rationale illustrate the workflow and are not a real fact-check, and no evidence is
presented as real.
"""

from datetime import date
from decimal import Decimal

TOPICS = [
    ("Demographics", "demographics"),
    ("Energy", "energy"),
    ("Infrastructure", "infrastructure"),
    ("Security", "security"),
    ("Diplomacy", "diplomacy"),
]

# slug: (kind, name, homepage, country, description)
SOURCES = {
    "caucasus-review": (
        "outlet",
        "Caucasus Review (demo outlet)",
        "https://example.org/caucasus-review",
        "",
        "Placeholder for the publisher of the 2021 analysis on the Turkey-Azerbaijan-Pakistan axis.",
    ),
    "west-asia-desk": (
        "outlet",
        "West Asia Desk (demo outlet)",
        "https://example.org/west-asia-desk",
        "",
        "Placeholder for the publisher of the March 2026 explainer on Iran-Azerbaijan tensions.",
    ),
    "paul-antonopoulos": (
        "person",
        "Paul Antonopoulos",
        "",
        "",
        "Independent geopolitical analyst; author of the 2021 analysis.",
    ),
    "west-asia-desk-staff": (
        "person",
        "West Asia Desk staff writer",
        "",
        "",
        "Unnamed author of the March 2026 explainer.",
    ),
    "government-of-iran": ("government", "Government of Iran", "", "IR", "The Iranian government in Tehran."),
    "ilham-aliyev": ("person", "Ilham Aliyev", "", "AZ", "President of Azerbaijan."),
    "tehran-times": ("outlet", "Tehran Times", "https://www.tehrantimes.com", "IR", "Iranian English-language daily."),
    "azerbaijani-lawmaker": (
        "person",
        "An Azerbaijani lawmaker (unnamed)",
        "",
        "AZ",
        "Member of Azerbaijan's parliament quoted without a name.",
    ),
    "commenter-colonel-dolma": (
        "anonymous",
        "Reader comment: \u201cColonel Dolma\u201d",
        "",
        "",
        "Pseudonymous reader commenting under the 2021 analysis.",
    ),
    "commenter-anonymous": (
        "anonymous",
        "Anonymous reader comment",
        "",
        "",
        "Unsigned reader comment under the 2021 analysis.",
    ),
    "example-social-account": (
        "anonymous",
        "Example social media account (demo)",
        "",
        "",
        "Invented account used to demonstrate a disputed figure.",
    ),
}

# key: (url, title, outlet, authors, published_on, kind, parent key)
ARTICLES = {
    "axis-2021": (
        "https://example.org/caucasus-review/iran-alarmed-turkey-azerbaijan-pakistan-axis",
        "Iran becoming increasingly alarmed by the Turkey-Azerbaijan-Pakistan axis",
        "caucasus-review",
        ["paul-antonopoulos"],
        date(2021, 10, 5),
        "opinion",
        None,
    ),
    "nakhchivan-2026": (
        "https://example.org/west-asia-desk/nakhchivan-strikes-iran-azerbaijan",
        "After the Nakhchivan strikes: why Tehran and Baku distrust each other",
        "west-asia-desk",
        ["west-asia-desk-staff"],
        date(2026, 3, 9),
        "opinion",
        None,
    ),
    "comment-nukes": (
        "https://example.org/caucasus-review/iran-alarmed-turkey-azerbaijan-pakistan-axis#comment-7",
        "Reader comment",
        None,
        ["commenter-anonymous"],
        date(2021, 10, 6),
        "comment",
        "axis-2021",
    ),
    "comment-dolma": (
        "https://example.org/caucasus-review/iran-alarmed-turkey-azerbaijan-pakistan-axis#comment-5",
        "Reader comment by \u201cColonel Dolma\u201d",
        None,
        ["commenter-colonel-dolma"],
        date(2021, 10, 6),
        "comment",
        "axis-2021",
    ),
    "social-post": (
        "https://example.org/social/demo-post-1",
        "Example social post (demo)",
        None,
        ["example-social-account"],
        date(2025, 11, 2),
        "social",
        None,
    ),
}

# slug: (name, unit, window days, description)
MEASURES = {
    "azeri-population-of-iran": (
        "Azeri population of Iran",
        "count",
        3650,
        "Number of ethnic Azeris (Azerbaijani Turks) living in Iran.",
    ),
    "population-of-azerbaijan": ("Population of Azerbaijan", "count", 1825, "Resident population of Azerbaijan."),
    "azerbaijan-share-of-israel-oil-imports": (
        "Azerbaijan's share of Israel's crude oil imports",
        "percent",
        366,
        "Share of Israel's crude oil imports supplied by Azerbaijan in a year.",
    ),
    "corridor-rights-term": (
        "Term of the corridor development rights",
        "year",
        None,
        "Length of the development and management rights over the Armenian transit corridor.",
    ),
    "corridor-length": (
        "Length of the transit corridor through southern Armenia",
        "km",
        None,
        "Length of the route linking mainland Azerbaijan to Nakhchivan through Armenia.",
    ),
    "nakhchivan-baku-distance": (
        "Distance from Nakhchivan to Baku",
        "km",
        None,
        "Distance between the exclave and Azerbaijan's capital.",
    ),
}

# Each claim: slug, text, claimant, topics, first_seen, appearances, figures, verdict plan.
# appearance: (article key, quote, voice, attributed_to)
# figure: (appearance index, measure slug, quoted text, low, high, qualifier, unit, point in time)
CLAIMS = [
    {
        "slug": "azeri-population-of-iran-15-18-million",
        "text": "Between 15 and 18 million ethnic Azeris live in Iran.",
        "claimant": "paul-antonopoulos",
        "topics": ["demographics"],
        "first_seen": date(2021, 10, 5),
        "appearances": [("axis-2021", "the approximate 15-18 million Azeris living in Iran", "asserts", None)],
        "figures": [
            (
                0,
                "azeri-population-of-iran",
                "approximate 15-18 million",
                "15000000",
                "18000000",
                "range",
                "count",
                date(2021, 10, 1),
            )
        ],
        "verdicts": [("published", "mixed", "Estimates vary widely and no census counts ethnicity.")],
    },
    {
        "slug": "azeri-population-of-iran-close-to-15-million",
        "text": "Close to 15 million Azeris live in north-western Iran.",
        "claimant": "west-asia-desk-staff",
        "topics": ["demographics"],
        "first_seen": date(2026, 3, 9),
        "appearances": [("nakhchivan-2026", "Close to 15 million Azeris live in north-western Iran", "asserts", None)],
        "figures": [
            (
                0,
                "azeri-population-of-iran",
                "close to 15 million",
                "15000000",
                "15000000",
                "approximate",
                "count",
                date(2026, 3, 1),
            )
        ],
        "verdicts": [("published", "mostly-true", "Within the range most estimates give, though none is official.")],
    },
    {
        "slug": "azeri-population-of-iran-30-million",
        "text": "Around 30 million Azeris live in Iran.",
        "claimant": "example-social-account",
        "topics": ["demographics"],
        "first_seen": date(2025, 11, 2),
        "appearances": [("social-post", "some 30 million Azeris in Iran", "asserts", None)],
        "figures": [
            (
                0,
                "azeri-population-of-iran",
                "some 30 million",
                "30000000",
                "30000000",
                "approximate",
                "count",
                date(2025, 11, 1),
            )
        ],
        "verdicts": [("published", "mostly-false", "Roughly double the figures other sources give.")],
    },
    {
        "slug": "more-azeris-in-iran-than-in-azerbaijan",
        "text": "More Azeris live in Iran than the entire population of Azerbaijan.",
        "claimant": "paul-antonopoulos",
        "topics": ["demographics"],
        "first_seen": date(2021, 10, 5),
        "appearances": [
            ("axis-2021", "more than the entire population of Azerbaijan", "asserts", None),
            ("nakhchivan-2026", "overshadowing Azerbaijan\u2019s own population", "asserts", None),
        ],
        "figures": [],
        "verdicts": [("published", "true", "Every estimate of Iran's Azeris exceeds Azerbaijan's population.")],
    },
    {
        "slug": "population-of-azerbaijan-10-5-million",
        "text": "Azerbaijan has a population of roughly 10.5 million.",
        "claimant": "west-asia-desk-staff",
        "topics": ["demographics"],
        "first_seen": date(2026, 3, 9),
        "appearances": [
            ("nakhchivan-2026", "Azerbaijan\u2019s own population of roughly 10.5 million", "asserts", None)
        ],
        "figures": [
            (
                0,
                "population-of-azerbaijan",
                "roughly 10.5 million",
                "10500000",
                "10500000",
                "approximate",
                "count",
                date(2026, 3, 1),
            )
        ],
        "verdicts": [],
    },
    {
        "slug": "azerbaijan-supplied-46-4-percent-of-israel-oil-imports",
        "text": "Azerbaijan supplied 46.4% of Israel's crude oil imports in 2025.",
        "claimant": "west-asia-desk-staff",
        "topics": ["energy"],
        "first_seen": date(2026, 3, 9),
        "appearances": [("nakhchivan-2026", "accounting for 46.4% of Israeli oil imports last year", "asserts", None)],
        "figures": [
            (
                0,
                "azerbaijan-share-of-israel-oil-imports",
                "46.4%",
                "46.4",
                "46.4",
                "exact",
                "percent",
                date(2025, 12, 31),
            )
        ],
        "verdicts": [
            (
                "submitted",
                "mostly-true",
                "Trade data show Azerbaijan as the largest supplier; the exact share depends on the source.",
            )
        ],
    },
    {
        "slug": "us-consortium-99-year-corridor-rights",
        "text": "The August 2025 Armenia-Azerbaijan declaration gives a US-led consortium exclusive development rights over the transit corridor for 99 years.",
        "claimant": "west-asia-desk-staff",
        "topics": ["infrastructure", "diplomacy"],
        "first_seen": date(2026, 3, 9),
        "appearances": [
            (
                "nakhchivan-2026",
                "exclusive development and management rights over the corridor for 99 years",
                "asserts",
                None,
            )
        ],
        "figures": [(0, "corridor-rights-term", "99 years", "99", "99", "exact", "year", date(2025, 8, 8))],
        "verdicts": [
            ("published", "mostly-true", "The term matches public reporting; the legal form is still being negotiated.")
        ],
    },
    {
        "slug": "transit-corridor-is-43-km-long",
        "text": "The planned transit corridor through southern Armenia linking mainland Azerbaijan to Nakhchivan is 43 km long.",
        "claimant": "west-asia-desk-staff",
        "topics": ["infrastructure"],
        "first_seen": date(2026, 3, 9),
        "appearances": [("nakhchivan-2026", "a 43-km transit corridor", "asserts", None)],
        "figures": [(0, "corridor-length", "43-km", "43", "43", "exact", "km", date(2025, 8, 8))],
        "verdicts": [("draft", "true", "Route length matches the declaration's description.")],
    },
    {
        "slug": "nakhchivan-450-km-from-baku",
        "text": "Nakhchivan lies about 450 km from Baku.",
        "claimant": "west-asia-desk-staff",
        "topics": ["infrastructure"],
        "first_seen": date(2026, 3, 9),
        "appearances": [("nakhchivan-2026", "roughly 450 km from the country\u2019s capital Baku", "asserts", None)],
        "figures": [(0, "nakhchivan-baku-distance", "roughly 450 km", "450", "450", "approximate", "km", None)],
        # Published, then corrected: the first verdict is superseded and stays in the public history.
        "verdicts": [
            ("published", "mostly-true", "Close to the straight-line distance; road distance is longer."),
            (
                "correction",
                "true",
                "The figure matches the straight-line distance between the two cities.",
                "Example correction: the first verdict compared the figure with road distance; the article means straight-line distance.",
            ),
        ],
    },
    {
        "slug": "arash-2-drones-used-in-nakhchivan-strikes",
        "text": "Iranian Arash-2 drones were used in the March 2026 strikes on Nakhchivan's airport and a school.",
        "claimant": None,
        "topics": ["security"],
        "first_seen": date(2026, 3, 9),
        "appearances": [("nakhchivan-2026", "Iranian Arash-2 kamikaze drones were reportedly used", "reports", None)],
        "figures": [],
        "verdicts": [],
    },
    {
        "slug": "tehran-denied-involvement-in-nakhchivan-strikes",
        "text": "Iran denied any involvement in the March 2026 drone strikes on Nakhchivan.",
        "claimant": "government-of-iran",
        "topics": ["security", "diplomacy"],
        "first_seen": date(2026, 3, 9),
        "appearances": [("nakhchivan-2026", "Tehran denied any involvement", "reports", "government-of-iran")],
        "figures": [],
        "verdicts": [],
    },
    {
        "slug": "aliyev-called-the-strikes-a-terrorist-act",
        "text": "Azerbaijan's president called the drone strikes on Nakhchivan a terrorist act and summoned Iran's ambassador.",
        "claimant": "ilham-aliyev",
        "topics": ["security", "diplomacy"],
        "first_seen": date(2026, 3, 9),
        "appearances": [
            ("nakhchivan-2026", "denouncing the attack as a \u201cterrorist act\u201d", "reports", "ilham-aliyev")
        ],
        "figures": [],
        "verdicts": [],
    },
    {
        "slug": "lawmaker-pakistan-would-invade-tehran",
        "text": "An Azerbaijani lawmaker said Pakistan's army would invade Tehran if Iran acted against Baku.",
        "claimant": "azerbaijani-lawmaker",
        "topics": ["security"],
        "first_seen": date(2021, 10, 5),
        "appearances": [
            ("axis-2021", "Pakistan\u2019s army would invade Tehran", "reports", "tehran-times"),
            ("comment-dolma", "Bullshit fearmongering not based in ANY reality", "reports", None),
        ],
        "figures": [],
        "verdicts": [],
    },
    {
        "slug": "pakistan-has-more-nuclear-weapons-than-india",
        "text": "Pakistan has more nuclear warheads than India.",
        "claimant": "commenter-anonymous",
        "topics": ["security"],
        "first_seen": date(2021, 10, 6),
        "appearances": [("comment-nukes", "The Pakis apparently have more nukes than India", "asserts", None)],
        "figures": [],
        "verdicts": [
            (
                "published",
                "unverifiable",
                "Warhead counts are secret; public estimates put the two countries close together.",
            )
        ],
    },
    {
        "slug": "shusha-declaration-obliges-turkey-to-defend-azerbaijan",
        "text": "The 2021 Shusha Declaration obliges Turkey to help defend Azerbaijan.",
        "claimant": "west-asia-desk-staff",
        "topics": ["diplomacy", "security"],
        "first_seen": date(2026, 3, 9),
        "appearances": [("nakhchivan-2026", "a mutual defence pact that legally obligates Turkey", "asserts", None)],
        "figures": [],
        "verdicts": [],
    },
]

EXAMPLE_RATIONALE = (
    "**Example verdict (demo data).** This rating illustrates Factcheck's workflow; it is not a real "
    "fact-check and cites no real evidence.\n\n{summary}"
)


def decimal_or_none(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)
