"""Random text pieces: claim sentences, names, slugs and figure values as a writer would quote them."""

import random
import re

from claims.synthetic import words

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str, max_length: int = 90) -> str:
    """An ASCII slug; faster than django's slugify and enough for generated English text."""
    return _NOT_SLUG.sub("-", text.lower())[:max_length].strip("-")


class Fields(dict):
    """Template fields computed on first use, so a template only pays for the slots it has."""

    def __init__(self, rng: random.Random):
        super().__init__()
        self.rng = rng

    def __missing__(self, key):
        rng = self.rng
        if key == "country":
            value = rng.choice(words.COUNTRIES)[1]
        elif key == "country2":
            value = rng.choice(words.COUNTRIES)[1]
            while value == self.get("country"):
                value = rng.choice(words.COUNTRIES)[1]
        elif key == "group":
            value = rng.choice(words.GROUPS)
        elif key == "corridor":
            value = rng.choice(words.CORRIDORS)
        elif key == "party":
            value = rng.choice(words.PARTIES)
        elif key == "month":
            value = rng.choice(words.MONTHS)
        elif key == "commodity":
            value = rng.choice(words.COMMODITIES)
        elif key == "town":
            value = town(rng)
        elif key == "org":
            value = rng.choice(words.ORGANISATIONS)
        elif key == "outlet":
            first, second = rng.choice(words.OUTLET_WORDS)
            value = f"the {first} {second}"
        elif key == "year":
            value = rng.randint(1995, 2025)
        elif key == "year2":
            value = self["year"] + rng.randint(1, 10)
        elif key == "big":
            value = round(rng.uniform(1, 40), rng.choice((0, 0, 1)))
        elif key == "pct":
            value = round(rng.uniform(0.5, 95), rng.choice((0, 1)))
        elif key == "small":
            value = rng.randint(2, 120)
        elif key == "km":
            value = rng.randint(5, 2500)
        elif key == "usd":
            value = f"{rng.randint(2, 900) * 10:,}"
        else:
            raise KeyError(key)
        self[key] = value
        return value


def town(rng: random.Random) -> str:
    """A rare place name (two or three syllables): many distinct words for the search index."""
    syllables = words.SYLLABLES
    name = rng.choice(syllables) + rng.choice(syllables)
    if rng.random() < 0.6:
        name += rng.choice(syllables)
    return name.capitalize()


def claim_text(rng: random.Random, topic: str) -> str:
    fields = Fields(rng)
    sentence = rng.choice(words.TOPICS[topic][1]).format_map(fields)
    suffix = rng.choice(words.SUFFIXES)
    if suffix:
        sentence += "," + suffix.format_map(fields)
    return sentence[0].upper() + sentence[1:] + "."


def measure_name(rng: random.Random, pattern: str) -> str:
    name = pattern.format_map(Fields(rng))
    return name[0].upper() + name[1:]


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}"


def number(value: float, unit: str) -> str:
    """A value rounded the way it would be written: 3 significant digits, 1 decimal for percent."""
    if unit == "percent":
        return f"{value:.1f}".removesuffix(".0")
    if value >= 1000:
        digits = len(str(int(value))) - 3
        return str(int(round(value, -digits)))
    return str(int(round(value))) if value >= 10 else f"{value:.1f}".removesuffix(".0")


def quoted(value: str, unit: str, *, with_unit: bool = True) -> str:
    """How an article would write a value: "15 million", "46.4%", "430 km", "$2 billion", "165,000"."""
    amount = float(value)
    text = f"{amount:,.0f}" if amount >= 10_000 and amount == int(amount) else value
    for threshold, word in ((1e9, "billion"), (1e6, "million")):
        if amount >= threshold:
            text = f"{amount / threshold:g} {word}"
            break
    if not with_unit:
        return text
    if unit == "percent":
        return text + "%"
    if unit == "USD":
        return "$" + text
    if unit == "km":
        return text + " km"
    if unit == "year":
        return text + " years"
    if unit == "people":
        return text + " people"
    return text
