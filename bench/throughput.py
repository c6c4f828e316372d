"""Throughputs through gunicorn with 2 workers on loopback (issue 15): GET requests driven from keep-alive client
threads, and buyers' submissions (``POST /apply/<pk>/submit/``), each by its own buyer, signed in and with the
commitment letter ticked in the session, as a browser would have it. ``run.py`` calls these; the drafts it
submits are made here first (copies of a submitted demo application, back in draft), and stay submitted after."""

import http.client
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
from importlib import import_module
from pathlib import Path

import scale

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8105"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))


def p95(latencies: list[float]) -> float:
    return statistics.quantiles(latencies, n=20)[-1] * 1000 if len(latencies) > 1 else latencies[0] * 1000


def gunicorn() -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": scale.URL,
        "API_REQUESTS_PER_MINUTE": "1000000000",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SESSION_COOKIE_SECURE": "false",
        # Its own collected static files, apart from the checkout's var/ (whose files the tests would serve).
        "VAR_DIR": os.environ.get("BENCH_VAR_DIR", "/tmp/bench-scale-var"),
    }
    # As production serves them: hashed, from collectstatic's manifest.
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{PORT}", "-w", "2"]
    process = subprocess.Popen([*command, "--log-level", "warning"], cwd=ROOT, env=env)
    for _ in range(150):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            conn.request("GET", "/api/v1/openapi.json")
            conn.getresponse().read()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def _run(threads: int, work) -> float:
    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    began = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.perf_counter() - began


def drive(path: str, token: str = "") -> tuple[float, float, int]:
    """(requests per second, p95 ms, non-200 answers) over SECONDS from THREADS keep-alive client threads."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    latencies: list[float] = []
    failures = [0]
    stop = time.perf_counter() + SECONDS
    lock = threading.Lock()

    def work(_n):
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

    elapsed = _run(THREADS, work)
    return len(latencies) / elapsed, p95(latencies), failures[0]


def prepare_drafts(count: int) -> list[tuple[int, str]]:
    """``count`` drafts ready to submit, each of a new buyer with a signed-in session in which the commitment
    letter is ticked: (application id, session key)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Role, User
    from applications import events
    from applications.commitment import commitment_letter
    from applications.models import Application, ApplicationEvent, Document, EventAction
    from applications.views.tasklist import commitment_key
    from applications.workflow import State
    from core.sessions import LAST_SEEN

    template = Application.objects.filter(state=State.SUBMITTED, number__startswith="2026-").order_by("pk").first()
    documents = list(Document.objects.filter(application=template, removed_at__isnull=True))
    stamp = secrets.token_hex(4)
    with transaction.atomic():
        buyers = User.objects.bulk_create(
            User(
                username=f"bench-submit-{stamp}-{n}",
                role=Role.BUYER,
                district_id=template.district_id,
                buyer_kind=template.buyer.buyer_kind,
                display_name=f"提交{n}",
                password="!",
            )
            for n in range(count)
        )
        fields = {f.attname: getattr(template, f.attname) for f in Application._meta.concrete_fields}
        for name in ("id", "number", "submitted_at", "commitment_signed_at", "central_amount", "municipal_amount"):
            fields[name] = None
        fields.update(district_amount=None, total_amount=None, commitment_version="", commitment_text="")
        fields.update(snapshot={}, state=State.DRAFT)
        drafts = Application.objects.bulk_create(
            Application(
                **fields | {"buyer_id": b.pk, "serial_number": f"S-{stamp}-{n}", "serial_key": f"S-{stamp}-{n}"}
            )
            for n, b in enumerate(buyers)
        )
        documents = [{f.attname: getattr(d, f.attname) for f in Document._meta.concrete_fields} for d in documents]
        Document.objects.bulk_create(
            Document(**d | {"id": None, "application_id": draft.pk}) for d in documents for draft in drafts
        )
        events.record_all(
            [ApplicationEvent(application=draft, action=EventAction.CREATE, to_state=State.DRAFT) for draft in drafts]
        )
    engine = import_module(settings.SESSION_ENGINE)
    version, _text = commitment_letter()
    backend = next(b for b in settings.AUTHENTICATION_BACKENDS if "axes" not in b)  # the one that finds users
    out = []
    for buyer, draft in zip(buyers, drafts, strict=True):
        session = engine.SessionStore()
        session[SESSION_KEY] = str(buyer.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = buyer.get_session_auth_hash()
        session[LAST_SEEN] = int(timezone.now().timestamp())
        session[commitment_key(draft)] = version
        session.create()
        out.append((draft.pk, session.session_key))
    return out


def submit_all(drafts: list[tuple[int, str]]) -> tuple[float, float, int]:
    """Submit every draft through gunicorn from THREADS threads: (submissions per second, p95 ms, failures)."""
    from django.conf import settings

    csrf = secrets.token_hex(16)
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()

    def work(n):
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=600)
        mine, bad = [], 0
        for pk, session in drafts[n::THREADS]:
            headers = {
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}",
                "X-CSRFToken": csrf,
                "Content-Type": "application/x-www-form-urlencoded",
            }
            start = time.perf_counter()
            conn.request("POST", f"/apply/{pk}/submit/", body="", headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - start)
            done = response.status == 302 and f"/apply/{pk}/submitted/" in response.getheader("Location", "")
            if not done and not bad:
                print(f"submission refused: HTTP {response.status} {response.getheader('Location', '')}")
            bad += not done
        with lock:
            latencies.extend(mine)
            failures[0] += bad

    elapsed = _run(THREADS, work)
    return len(latencies) / elapsed, p95(latencies), failures[0]
