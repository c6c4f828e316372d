"""Benchmark: requests per second and p95 latency of the public catalogue endpoint and the office queue endpoint,
through gunicorn on loopback, at growing numbers of applications.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/subsidy .venv/bin/python bench/api_throughput.py [sizes...]
(default 1,000,000). It fills a throw-away test database with bulk inserts (as bench/office_queue.py does),
starts gunicorn on 127.0.0.1:8105 against it, drives each endpoint from client threads with keep-alive
connections for a few seconds, and prints a table. Nothing here is a pass/fail test.
"""

import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from common import throwaway_database
from django.db import connection
from office_queue import fill

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8105"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))


def _gunicorn(database_url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "API_REQUESTS_PER_MINUTE": "1000000000",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            WORKERS,
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            conn.request("GET", "/api/v1/openapi.json")
            conn.getresponse().read()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def _drive(path: str, token: str = "") -> tuple[float, float, int]:
    """(requests per second, p95 milliseconds, non-200 answers) over SECONDS from THREADS threads."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    latencies: list[float] = []
    failures = [0]
    stop = time.perf_counter() + SECONDS
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=600)
        mine, bad = [], 0
        while time.perf_counter() < stop:
            start = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - start)
            bad += response.status != 200
        with lock:
            latencies.extend(mine)
            failures[0] += bad

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    p95 = statistics.quantiles(latencies, n=20)[-1] * 1000 if len(latencies) > 1 else latencies[0] * 1000
    return len(latencies) / elapsed, p95, failures[0]


def main(sizes: list[int]) -> None:
    from accounts.models import District, Role, User
    from api.tokens import create_personal_token

    with throwaway_database():
        settings = connection.settings_dict
        url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
        district = District.objects.get(code="110108")
        officer = User.objects.create(username="bench-officer", role=Role.DISTRICT_AGRICULTURE, district=district)
        token = create_personal_token(user=officer, name="bench")[1]
        print(f"gunicorn -w {WORKERS}, {THREADS} client threads, {SECONDS:.0f} s per endpoint")
        print(f"{'applications':>12} | {'endpoint':<34} | {'req/s':>7} | {'p95 ms':>8} | {'non-200':>7}")
        print("-" * 80)
        for size in sizes:
            fill(size)
            connection.close()  # gunicorn's workers read what is committed
            server = _gunicorn(url)
            try:
                for label, path, key in (
                    ("GET /api/v1/catalogue", "/api/v1/catalogue", ""),
                    ("GET /api/v1/office/applications", "/api/v1/office/applications?limit=50", token),
                ):
                    rate, p95, bad = _drive(path, key)
                    print(f"{size:>12} | {label:<34} | {rate:>7.1f} | {p95:>8.1f} | {bad:>7}")
            finally:
                server.terminate()
                server.wait(timeout=30)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1_000_000])
