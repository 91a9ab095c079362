"""Deterministic fake data shared by the sandbox APIs: names, addresses, money, timestamps."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

FIRST = ["Anna", "Bob", "Chloe", "Daan", "Emma", "Finn", "Greta", "Hugo", "Iris", "Jan", "Kim", "Lars", "Mila", "Noah", "Olga", "Piet"]
LAST = ["Smith", "de Vries", "Jansen", "Bakker", "Müller", "Dubois", "Rossi", "Visser", "Smit", "Meijer", "O'Brien", "Nowak"]
TOWNS = [("Worcester", "WR1 1AB", "GB"), ("Utrecht", "3511 AB", "NL"), ("Antwerpen", "2000", "BE"), ("Köln", "50667", "DE"), ("Lyon", "69001", "FR"), ("Breda", "4811 AA", "NL")]
STREETS = ["Fake Street", "Dorpsstraat", "Hauptstraße", "Rue de la Paix", "Kerkweg", "High Street", "Marktplein"]
WORDS = ["Hot", "Sauce", "Garden", "Chair", "Lamp", "Table", "Oak", "Steel", "Blue", "Classic", "Outdoor", "Mini", "Deluxe", "Eco", "Smart", "Velvet"]


def rng(seed: int, *salt: object) -> random.Random:
    """A generator that depends only on the seed and the salt: same data on every run."""
    return random.Random(f"{seed}:" + ":".join(map(str, salt)))


def person(r: random.Random) -> tuple[str, str]:
    return r.choice(FIRST), r.choice(LAST)


def address(r: random.Random) -> dict:
    town, post_code, country = r.choice(TOWNS)
    return {"street": f"{r.randint(1, 250)} {r.choice(STREETS)}", "town": town, "post_code": post_code, "country": country}


def product_name(r: random.Random) -> str:
    return " ".join(r.sample(WORDS, 3))


def money(r: random.Random, low: float = 1, high: float = 500) -> str:
    return f"{r.uniform(low, high):.2f}"


def spread(r: random.Random, end: datetime, days: int) -> datetime:
    """A timestamp in the `days` before `end`, whole seconds."""
    return (end - timedelta(seconds=r.randint(0, days * 86400))).replace(microsecond=0)
