"""The sampling draw, version 1: a pure function of what a run records, so anyone can recompute it.

The same steps are written out with Python's standard library alone in ``scripts/replay_sampling.py`` for an
outsider; keep the two in step (a test checks they agree).

1. The population is the list of (application id, 100% flag, risk score), sorted by id; its hash is SHA-256 of
   the lines ``id,flag,score`` joined by ``\\n`` (flag 1 or 0, score with two decimals).
2. Every flagged application is selected (part ``full``).
3. Of the others (n of them), ``round_half_up(n × share)`` are checked; of these, ``round_half_up(that ×
   random_part)`` are drawn at random and the rest taken by risk score.
4. Random part: the ticket of an application is SHA-256 of ``"{seed},{id}"`` in hexadecimal; the smallest
   tickets are drawn (consistent sampling). Never ``random.sample``, whose results change between versions.
5. Risk part: of the others not drawn, the highest scores, ties broken by the smaller ticket.
"""

import hashlib
import json
from decimal import ROUND_HALF_UP, Decimal

METHOD = "sha256-consistent"
VERSION = "1"


def ticket(seed: str, application_id: int) -> str:
    return hashlib.sha256(f"{seed},{application_id}".encode()).hexdigest()


def population_hash(population: list) -> str:
    lines = [f"{pk},{1 if full else 0},{Decimal(score):.2f}" for pk, full, score in sorted(population)]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def fingerprint(*, method: str, version: str, seed: str, population_hash: str, parameters: dict) -> str:
    content = json.dumps([method, version, seed, population_hash, parameters], sort_keys=True)
    return hashlib.sha256(content.encode()).hexdigest()


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal("1"), ROUND_HALF_UP))


def select(*, seed: str, population: list, share: str, random_part: str) -> dict[int, str]:
    """{application id: part} for a population of (id, full, score)."""
    population = sorted(population)
    chosen = {pk: "full" for pk, full, _score in population if full}
    rest = [(pk, Decimal(score), ticket(seed, pk)) for pk, full, score in population if not full]
    checked = _round(len(rest) * Decimal(share))
    at_random = _round(checked * Decimal(random_part))
    by_ticket = sorted(rest, key=lambda row: row[2])
    for pk, _score, _ticket in by_ticket[:at_random]:
        chosen[pk] = "random"
    others = sorted(by_ticket[at_random:], key=lambda row: (-row[1], row[2]))
    for pk, _score, _ticket in others[: checked - at_random]:
        chosen[pk] = "risk"
    return chosen
