"""Check that PostgreSQL and Redis answer at DATABASE_URL and REDIS_URL; say in one line what does not."""

import os
import sys
from urllib.parse import urlsplit

import psycopg
import redis


def problems() -> list[str]:
    found = []
    database_url = os.environ["DATABASE_URL"]
    redis_url = os.environ["REDIS_URL"]
    try:
        psycopg.connect(database_url, dbname="postgres", connect_timeout=3).close()
    except psycopg.Error as exc:
        where = urlsplit(database_url)
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        found.append(f"PostgreSQL is not reachable at {where.hostname}:{where.port or 5432}: {reason}")
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        where = urlsplit(redis_url)
        found.append(f"Redis is not reachable at {where.hostname}:{where.port or 6379}: {exc}")
    return found


if __name__ == "__main__":
    found = problems()
    if found and "--report" in sys.argv:
        print("\n".join(found), file=sys.stderr)
    sys.exit(1 if found else 0)
