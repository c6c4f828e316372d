#!/usr/bin/env python3
"""Recompute a published sampling run (抽查) with Python alone: no other package, any Python 3.6 or later.

Usage:
    python3 replay_sampling.py RUN.json            # the data file downloaded from the run's public page
    python3 replay_sampling.py https://.../RUN.json

It checks the population against its published hash, draws again by the published method (version 1, below)
and compares with the published selection. Exit status 0 when they agree, 1 when they do not (and says how).

Method "sha256-consistent", version 1:
1. The population is a list of [application id, 100% flag, risk score]; its hash is SHA-256 of the lines
   "id,flag,score" (flag 1 or 0, score with two decimals), sorted by id and joined by a newline.
2. Every flagged application is selected ("full": high-risk machines and complete sets of facility equipment).
3. Of the n others, round_half_up(n x share) are checked; of these round_half_up(that x random_part) are drawn at
   random, the rest taken by risk score.
4. Random: the ticket of an application is SHA-256 of "seed,id" in hexadecimal; the smallest tickets are drawn.
5. Risk: of the others not drawn, the highest scores; ties go to the smaller ticket.
"""

import hashlib
import json
import sys
import urllib.request
from decimal import ROUND_HALF_UP, Decimal


def ticket(seed, application_id):
    return hashlib.sha256(f"{seed},{application_id}".encode()).hexdigest()


def population_hash(population):
    lines = [
        f"{pk},{1 if full else 0},{Decimal(score).quantize(Decimal('0.01'))}" for pk, full, score in sorted(population)
    ]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def round_half_up(value):
    return int(value.quantize(Decimal("1"), ROUND_HALF_UP))


def select(seed, population, share, random_part):
    population = sorted(population)
    chosen = {pk: "full" for pk, full, _ in population if full}
    rest = [(pk, Decimal(score), ticket(seed, pk)) for pk, full, score in population if not full]
    checked = round_half_up(len(rest) * Decimal(share))
    at_random = round_half_up(checked * Decimal(random_part))
    by_ticket = sorted(rest, key=lambda row: row[2])
    for pk, _, _ in by_ticket[:at_random]:
        chosen[pk] = "random"
    others = sorted(by_ticket[at_random:], key=lambda row: (-row[1], row[2]))
    for pk, _, _ in others[: checked - at_random]:
        chosen[pk] = "risk"
    return chosen


def load(source):
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source) as response:  # noqa: S310 - the user names the address
            return json.load(response)
    with open(source, encoding="utf-8") as f:
        return json.load(f)


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    data = load(argv[1])
    if data.get("method") != "sha256-consistent" or str(data.get("version")) != "1":
        print(f"Unknown method: {data.get('method')} version {data.get('version')}")
        return 1
    problems = []
    if population_hash(data["population"]) != data["population_hash"]:
        problems.append("the population does not match its published hash")
    params = data["parameters"]
    expected = select(data["seed"], data["population"], params["share"], params["random_part"])
    published = {row["id"]: row["part"] for row in data["selection"]}
    for pk in sorted(set(expected) | set(published)):
        if expected.get(pk) != published.get(pk):
            problems.append(f"application {pk}: recomputed {expected.get(pk)}, published {published.get(pk)}")
    parts = {}
    for part in expected.values():
        parts[part] = parts.get(part, 0) + 1
    print(f"Run {data.get('run')}: population {len(data['population'])}, seed {data['seed']!r}")
    counts = ", ".join(f"{part} {n}" for part, n in sorted(parts.items()))
    print(f"Recomputed selection: {len(expected)} ({counts})")
    if problems:
        print("DIFFERENT from the published selection:")
        for problem in problems:
            print("  - " + problem)
        return 1
    print("The same as the published selection.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
