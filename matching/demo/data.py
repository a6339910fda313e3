"""The demo's data files (matching/demo/data/*.json), each read once per process.

Names tie the files together: a company by its `key`, a buyer by its `name`, a city by its English
name, a language, country, category or certification by its code, a trade centre by its code.
"""

import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@cache
def load(name):
    with (DATA / name).open(encoding="utf-8") as file:
        return json.load(file)


def events():
    """The roadshows, in the order of their file names."""
    return [load(f"events/{path.name}") for path in sorted((DATA / "events").glob("*.json"))]


def password():
    """The one password of every demo login (printed by the command)."""
    return load("users.json")["password"]
