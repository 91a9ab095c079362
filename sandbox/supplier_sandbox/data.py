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


# The merchant's shared catalogue (the supplier-sync loop matches on it): SKUs of the Yodify sandbox's
# store that a supplier sandbox also carries, as (sku_identifier, manufacturer_part_number). Each names
# a supplier's own product code or EAN that exists at every scale: REC+ codes SKU-58000.., NetXL skus
# NXL-100000.. and EANs 50 + 11-digit index, M3 skus 7-digit index and barcodes 87 + 11-digit index.
SHARED_CATALOGUE: list[tuple[str, str | None]] = [
    ("SKU-58001", None),  # REC+ code
    ("SKU-58002", "5000000000002"),  # REC+ code, and NetXL's EAN as MPN: two suppliers stock it
    ("SKU-58003", None),
    ("NXL-100003", None),  # NetXL sku
    ("NXL-100004", None),
    ("YOD-EAN-5", "5000000000005"),  # NetXL EAN only
    ("0000001", None),  # M3 sku
    ("0000002", None),
    ("YOD-EAN-M3-3", "8700000000003"),  # M3 barcode only
    ("YOD-OWN-1", None),  # the store's own product: no supplier has it
]
# Store orders that vidaXL drop-ships: vidaXL orders carry the store's number as customer_order_reference
# (SHOP-10000 + order id, ids 1..150 at every scale), so vidaXL's shipments belong to these orders.
DROPSHIP_ORDERS: list[str] = [f"SHOP-{10000 + i}" for i in range(131, 151)]
