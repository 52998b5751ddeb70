"""Vocabulary for synthetic claims: topics, templates and names, varied enough that full-text
search behaves as it would on a real archive (common words, topic words and rare names)."""

COUNTRIES = [
    ("AZ", "Azerbaijan"), ("IR", "Iran"), ("AM", "Armenia"), ("TR", "Turkey"), ("GE", "Georgia"),
    ("RU", "Russia"), ("IL", "Israel"), ("PK", "Pakistan"), ("KZ", "Kazakhstan"), ("TM", "Turkmenistan"),
    ("UZ", "Uzbekistan"), ("IQ", "Iraq"), ("SA", "Saudi Arabia"), ("AE", "the United Arab Emirates"),
    ("EG", "Egypt"), ("IN", "India"), ("CN", "China"), ("DE", "Germany"), ("FR", "France"),
    ("GB", "the United Kingdom"), ("US", "the United States"), ("UA", "Ukraine"), ("PL", "Poland"),
    ("IT", "Italy"), ("ES", "Spain"), ("GR", "Greece"), ("BR", "Brazil"), ("NG", "Nigeria"),
    ("KE", "Kenya"), ("ZA", "South Africa"), ("JP", "Japan"), ("ID", "Indonesia"),
]  # fmt: skip

GROUPS = [
    "Azeri", "Kurdish", "Armenian", "Turkmen", "Arab", "Baloch", "Lezgin", "Talysh", "Georgian",
    "Persian", "Russian-speaking", "refugee", "migrant", "rural", "urban", "young", "elderly",
]  # fmt: skip

CORRIDORS = [
    "Zangezur", "Lachin", "Middle", "North-South", "Trans-Caspian", "Lapis Lazuli", "Baku-Tbilisi-Kars",
    "Persian Gulf-Black Sea", "Araxes", "Nakhchivan", "Caspian", "Silk Road",
]  # fmt: skip

PARTIES = [
    "the ruling party", "the main opposition bloc", "the Green alliance", "the Labour list",
    "the nationalist front", "independent candidates", "the liberal coalition", "the farmers' party",
]  # fmt: skip

MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
]  # fmt: skip

COMMODITIES = ["oil", "natural gas", "wheat", "cotton", "electricity", "steel", "copper", "fertiliser"]

# Syllables for rare proper names (towns, people): thousands of distinct lexemes.
SYLLABLES = [
    "ka", "ra", "shan", "dar", "bel", "ova", "zar", "men", "tal", "gol", "ash", "qub", "lan", "sha",
    "ver", "nak", "jil", "mir", "sar", "bad", "kin", "tor", "yev", "lin", "dag", "hov", "ser", "pol",
]  # fmt: skip

FIRST_NAMES = [
    "Leyla", "Rashid", "Anahit", "Murad", "Sevda", "Tigran", "Nino", "Farid", "Elena", "Omar", "Ayse",
    "David", "Maryam", "Kamran", "Sara", "Giorgi", "Aliya", "Yusuf", "Irina", "Hassan", "Lucia", "Chen",
    "Priya", "Tomasz", "Amara", "Kenji", "Sofia", "Emeka", "Anna", "Reza",
]  # fmt: skip
LAST_NAMES = [
    "Aliyeva", "Hakobyan", "Karimi", "Demir", "Beridze", "Petrov", "Cohen", "Khan", "Nurlanov",
    "Mammadov", "Sargsyan", "Rahimi", "Yilmaz", "Kapanadze", "Ivanova", "Levi", "Qureshi", "Tursunov",
    "Hashemi", "Novak", "Okafor", "Schmidt", "Dubois", "Rossi", "Garcia", "Papadopoulos", "Silva",
]  # fmt: skip
OUTLET_WORDS = [
    ("Caspian", "Herald"), ("Caucasus", "Review"), ("Eurasia", "Monitor"), ("Gulf", "Observer"),
    ("Silk Road", "Times"), ("Anatolian", "Post"), ("Steppe", "Daily"), ("Black Sea", "Courier"),
    ("Levant", "Ledger"), ("Frontier", "Bulletin"), ("Mountain", "Gazette"), ("Delta", "Tribune"),
]  # fmt: skip
ORGANISATIONS = [
    "Institute for Energy Studies", "Centre for Migration Research", "Regional Statistics Office",
    "Transport Research Council", "Election Observation Mission", "Budget Watch", "Water Security Forum",
    "Chamber of Commerce", "Health Policy Institute", "Labour Rights Network",
]  # fmt: skip
GOVERNMENT_BODIES = ["Ministry of Energy", "Ministry of Foreign Affairs", "Central Bank", "Presidency",
                     "Ministry of Economy", "Statistics Committee", "Ministry of Defence", "Parliament"]  # fmt: skip
TITLES = ["analyst", "minister", "spokesperson", "economist", "lawmaker", "professor", "blogger", "activist"]

# topic slug -> (topic name, claim templates, measure metrics (name pattern, unit, typical value))
TOPICS = {
    "population": (
        "Population",
        [
            "The {group} population of {country} is {big} million",
            "More than {big} million {group} people live in {country}",
            "{country}'s population grew by {pct}% between {year} and {year2}",
            "{town} has lost {pct}% of its residents since {year}",
            "{group} speakers make up {pct}% of the population of {country}",
        ],
        [("{group} population of {country}", "people", 12_000_000), ("Population of {town}", "people", 250_000)],
    ),
    "oil": (
        "Oil and gas",
        [
            "{country} supplies {pct}% of {country2}'s oil imports",
            "{country} exported {big} million barrels of oil in {year}",
            "Oil revenues made up {pct}% of {country}'s budget in {year}",
            "The {corridor} pipeline carries {big} million tonnes of crude a year",
            "{country} pays {usd} dollars per barrel for {country2}'s crude",
        ],
        [
            ("{country2}'s share of {country} oil imports", "percent", 40),
            ("Oil exports of {country}", "count", 250_000_000),
        ],
    ),
    "corridors": (
        "Transport corridors",
        [
            "{country} granted {country2} {small}-year rights over the {corridor} corridor",
            "The {corridor} corridor is {km} km long",
            "Freight through the {corridor} corridor rose {pct}% in {year}",
            "The {corridor} railway will cost {usd} million dollars",
            "Trucks wait {small} days at the {town} border crossing on the {corridor} route",
        ],
        [("Length of the {corridor} corridor", "km", 430), ("Term of the {corridor} corridor lease", "year", 99)],
    ),
    "elections": (
        "Elections",
        [
            "Turnout in {country}'s {year} parliamentary election was {pct}%",
            "{party} won {small} seats in the {year} election in {country}",
            "{small} polling stations in {town} reported irregularities",
            "{party} received {pct}% of the vote in {town}",
            "{big} million voters were removed from {country}'s register before the {year} vote",
        ],
        [("Turnout in the {year} election in {country}", "percent", 60)],
    ),
    "inflation": (
        "Inflation",
        [
            "Inflation in {country} reached {pct}% in {month} {year}",
            "Food prices in {country} rose {pct}% over {year}",
            "{country}'s central bank raised its key rate to {pct}%",
            "Bread costs {pct}% more in {town} than a year ago",
            "Real wages in {country} fell {pct}% since {year}",
        ],
        [("Annual inflation in {country}", "percent", 8), ("Key interest rate of {country}", "percent", 12)],
    ),
    "trade": (
        "Trade",
        [
            "Trade between {country} and {country2} reached {usd} million dollars in {year}",
            "{country} buys {pct}% of its {commodity} from {country2}",
            "{country}'s exports of {commodity} doubled since {year}",
            "Tariffs on {commodity} from {country2} rose to {pct}%",
        ],
        [("Trade between {country} and {country2}", "USD", 2_000_000_000)],
    ),
    "defence": (
        "Defence",
        [
            "{country} spent {pct}% of its GDP on defence in {year}",
            "{country2} supplied {pct}% of {country}'s arms imports",
            "{country} holds {small} military exercises a year near {town}",
            "{big} thousand troops are stationed in {town}",
        ],
        [("Defence spending of {country}", "percent", 3), ("Troops stationed near {town}", "count", 15_000)],
    ),
    "water": (
        "Water",
        [
            "The {corridor} river lost {pct}% of its flow since {year}",
            "{town} receives running water {small} hours a day",
            "{country} diverts {big} billion cubic metres from rivers shared with {country2}",
        ],
        [("Water supply hours in {town}", "count", 12)],
    ),
    "migration": (
        "Migration",
        [
            "{big} million people left {country} for {country2} since {year}",
            "{pct}% of {group} migrants in {country2} come from {town}",
            "Remittances make up {pct}% of {country}'s economy",
        ],
        [("Emigrants from {country}", "people", 1_500_000), ("Remittances share of {country} GDP", "percent", 10)],
    ),
    "health": (
        "Public health",
        [
            "{town} has {small} hospital beds per thousand residents",
            "Vaccination coverage in {country} fell to {pct}% in {year}",
            "{country} spends {usd} dollars per person on health care",
        ],
        [("Vaccination coverage in {country}", "percent", 85)],
    ),
    "energy-prices": (
        "Energy prices",
        [
            "Households in {country} pay {pct}% more for gas than in {year}",
            "{country} sells electricity to {country2} below cost, at {usd} dollars per megawatt-hour",
            "Petrol in {town} costs {small} per litre",
        ],
        [("Household gas price rise in {country}", "percent", 20)],
    ),
    "unemployment": (
        "Unemployment",
        [
            "Unemployment in {country} stands at {pct}%",
            "Youth unemployment in {town} is {pct}%",
            "{big} thousand jobs were lost in {country}'s {commodity} sector in {year}",
        ],
        [("Unemployment rate of {country}", "percent", 9)],
    ),
}

QUALIFIER_WORDS = {"approximate": "about ", "at_least": "at least ", "at_most": "up to "}

SUFFIXES = [
    "", "", "", "", " according to official figures", " despite sanctions", " the highest level since {year}",
    " the lowest level in a decade", " according to a leaked report", " as claimed in a televised interview",
    " as stated in a parliamentary speech", " according to a viral social media post",
    " citing a report by the {org}", " in a statement to {outlet}",
]  # fmt: skip

SUMMARY_REASONS = [
    "official statistics give a different figure",
    "the figure matches the census",
    "the number is out of date",
    "the source confuses two different measures",
    "the cited report says something else",
    "independent estimates broadly agree",
    "no public data supports the claim",
    "the claim omits important context",
]  # fmt: skip

RATING_SUMMARY = {
    "true": "Accurate: {reason}.",
    "mostly-true": "Largely accurate, but {reason}.",
    "mixed": "Partly accurate: {reason}.",
    "mostly-false": "Misleading: {reason}.",
    "false": "Inaccurate: {reason}.",
    "unverifiable": "Cannot be verified: {reason}.",
}

CORRECTION_NOTES = [
    "Updated after the statistics office revised its figures.",
    "Corrected: an earlier version misread the unit of the cited report.",
    "Rating changed after new evidence from the census was published.",
]
WITHDRAWAL_REASONS = [
    "Withdrawn: the claim was misattributed to this speaker.",
    "Withdrawn pending a review of the evidence, which was found to be unreliable.",
]
RANK_REASONS = ["Superseded by a later census", "Quoted out of context", "Typographical error in the source"]
