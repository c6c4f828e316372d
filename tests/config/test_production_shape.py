"""The production shape: docker-compose.yml and the Dockerfile it builds.

No Docker engine runs on our machines, so the compose file is checked with `docker-compose config` and each
app service's own `command` (read from that output, not copied here) is run locally, with the executables of
the virtual environment, against the machine's PostgreSQL (pytest-django's test database) and Redis:
web answers /health/, the worker answers a ping and runs a task sent through Redis, beat writes the schedule.
"""

import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import redis
import yaml
from celery import Celery
from cryptography.fernet import Fernet
from django.conf import settings
from django.db import connection

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.yml"
DOCKERFILE = REPO / "Dockerfile"
VENV_BIN = REPO / ".venv" / "bin"
DOCKER_COMPOSE = "/usr/bin/docker-compose"
SWEEP_TASK = "notifications.tasks.sweep_pending_deliveries"
# The probe task (tests/config/probe_tasks.py), imported by the worker under test only. No __init__.py here:
# with or without tests/__init__.py, this folder never becomes a package named "config".
PROBE_MODULE = "tests.config.probe_tasks"
PROBE_TASK = f"{PROBE_MODULE}.record_probe"
APP_SERVICES = ("migrate", "web", "worker", "beat")
START_TIMEOUT = 30.0

# What an operator puts in .env: values for every `${VAR:?}` of the compose file (others get a dummy).
OPERATOR_VALUES = {
    "SECRET_KEY": "test-secret-key-not-for-production",
    "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "BLIND_INDEX_KEY": "test-blind-index-key",
    "CHAIN_KEY": "test-chain-key-not-secret",
    # The first host is what the container healthcheck sends; 127.0.0.1 is what this test polls.
    "ALLOWED_HOSTS": "subsidy.example.test,127.0.0.1",
    "POSTGRES_PASSWORD": "test-password",
    "DB_OWNER_PASSWORD": "test-owner-password",
    "DB_APP_PASSWORD": "test-app-password",
    "EMAIL_HOST": "127.0.0.1",
    "DEFAULT_FROM_EMAIL": "subsidy <noreply@subsidy.example.test>",
}
SECRETS = {
    "SECRET_KEY",
    "FIELD_ENCRYPTION_KEYS",
    "BLIND_INDEX_KEY",
    "CHAIN_KEY",
    "POSTGRES_PASSWORD",
    "DB_OWNER_PASSWORD",
    "DB_APP_PASSWORD",
    "ALLOWED_HOSTS",
}


def required_variables() -> set[str]:
    return set(re.findall(r"\$\{(\w+):?\?", COMPOSE_FILE.read_text()))


def operator_env() -> dict[str, str]:
    return {name: OPERATOR_VALUES.get(name, f"test-{name.lower()}") for name in required_variables()}


def docker_compose_config(env: dict[str, str], *options: str) -> subprocess.CompletedProcess:
    if not Path(DOCKER_COMPOSE).exists():
        pytest.fail(f"{DOCKER_COMPOSE} is missing: apt-get install docker-compose (scripts/test.sh does)")
    # Only PATH and HOME from this process: the developer's shell and a local .env must not fill the gaps.
    base = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    return subprocess.run(
        [DOCKER_COMPOSE, "-f", str(COMPOSE_FILE), *options, "config"],
        cwd=REPO,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture(scope="module")
def empty_env_file(tmp_path_factory) -> str:
    """In place of a .env the developer may have next to docker-compose.yml."""
    path = tmp_path_factory.mktemp("compose") / "empty.env"
    path.write_text("")
    return str(path)


@pytest.fixture(scope="module")
def compose(empty_env_file):
    """The compose file as `docker-compose config` resolves it (interpolated, anchors merged)."""
    result = docker_compose_config(operator_env(), "--env-file", empty_env_file)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def argv_of(compose, service: str) -> list[str]:
    command = compose["services"][service]["command"]
    return shlex.split(command) if isinstance(command, str) else [str(part) for part in command]


def environment_of(compose, service: str) -> dict[str, str | None]:
    environment = compose["services"][service].get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) if "=" in item else (item, None) for item in environment)
    return environment


def option_value(argv: list[str], *names: str) -> str | None:
    for index, arg in enumerate(argv):
        for name in names:
            if arg == name and index + 1 < len(argv):
                return argv[index + 1]
            if name.startswith("--") and arg.startswith(name + "="):
                return arg.split("=", 1)[1]
    return None


def with_bind(argv: list[str], address: str) -> list[str]:
    """gunicorn's argv with its --bind (-b) address replaced."""
    out, replaced, skip = [], False, False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ("--bind", "-b"):
            out += [arg, address]
            replaced = skip = True
        elif arg.startswith("--bind="):
            out.append(f"--bind={address}")
            replaced = True
        else:
            out.append(arg)
    assert replaced, f"no --bind in {argv}"
    return out


# --- Test 1: the file is valid and has the shape -----------------------------------------------------------


def test_compose_file_is_valid_and_has_the_services(compose):
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)

    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    for name in ("postgres", "redis", "web"):
        assert services[name].get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
    data_volumes = [v.split(":")[:2] for v in services["postgres"]["volumes"]]
    assert ["postgres-data", "/var/lib/postgresql/data"] in data_volumes
    assert "postgres-data" in compose["volumes"]

    web = argv_of(compose, "web")
    assert web[0] == "gunicorn" and "config.wsgi" in web[1:]
    assert option_value(web, "--bind", "-b") == "0.0.0.0:8000"
    assert argv_of(compose, "worker")[:4] == ["celery", "-A", "config", "worker"]
    assert argv_of(compose, "beat")[:4] == ["celery", "-A", "config", "beat"]
    assert argv_of(compose, "migrate")[:3] == ["python", "manage.py", "migrate"]

    # Exactly one beat: one service runs it, never replicated.
    beats = [name for name in services if "command" in services[name] and argv_of(compose, name)[:1] == ["celery"]]
    beats = [name for name in beats if "beat" in argv_of(compose, name)]
    assert beats == ["beat"]
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1
    assert "scale" not in services["beat"]

    # The app services read the same environment: the operator's values, and the compose network's servers;
    # only migrations connect as the database owner, the others as the runtime role (issue 14, part 2).
    shared = environment_of(compose, "worker")
    for name in APP_SERVICES:
        environment = {
            k: v for k, v in environment_of(compose, name).items() if k not in ("WEB_CONCURRENCY", "DATABASE_URL")
        }
        assert environment == {k: v for k, v in shared.items() if k != "DATABASE_URL"}, f"{name}'s environment differs"
        if name != "migrate":
            assert environment_of(compose, name)["DATABASE_URL"] == shared["DATABASE_URL"]
        assert services[name]["build"]["context"] == str(REPO)
        if name != "migrate":
            assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    database_url = urlsplit(shared["DATABASE_URL"])
    assert database_url.scheme in ("postgres", "postgresql") and database_url.hostname == "postgres"
    assert (database_url.username, database_url.password) == ("subsidy_app", OPERATOR_VALUES["DB_APP_PASSWORD"])
    owner_url = urlsplit(environment_of(compose, "migrate")["DATABASE_URL"])
    assert (owner_url.username, owner_url.password) == ("subsidy_owner", OPERATOR_VALUES["DB_OWNER_PASSWORD"])
    assert "./deploy/postgres:/docker-entrypoint-initdb.d:ro" in [
        v.replace(str(REPO), ".") for v in services["postgres"]["volumes"]
    ]
    assert urlsplit(shared["REDIS_URL"]).hostname == "redis"
    assert shared["CELERY_BROKER_URL"] == shared["REDIS_URL"]
    assert shared["SECRET_KEY"] == OPERATOR_VALUES["SECRET_KEY"]
    assert shared["DEBUG"] == "false" and shared["CELERY_TASK_ALWAYS_EAGER"] == "false"

    # Uploads are volumes where the image's settings put them.
    for name in ("web", "worker"):
        targets = {v.split(":")[1] for v in services[name]["volumes"]}
        assert {"/data/media", "/data/private"} <= targets
    dockerfile = DOCKERFILE.read_text()
    assert "MEDIA_ROOT=/data/media" in dockerfile and "PRIVATE_MEDIA_ROOT=/data/private" in dockerfile


def test_compose_file_has_no_default_secrets(empty_env_file):
    assert required_variables() >= SECRETS
    env = operator_env()
    del env["SECRET_KEY"]
    result = docker_compose_config(env, "--env-file", empty_env_file)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_env_example_gives_every_required_variable():
    result = docker_compose_config({}, "--env-file", str(REPO / ".env.example"))
    assert result.returncode == 0, result.stderr


def test_dockerfile_builds_what_the_services_run():
    dockerfile = DOCKERFILE.read_text()
    assert re.search(r"^FROM python:3\.11-slim-bookworm\b", dockerfile, re.MULTILINE)
    # The runtime Debian packages scripts/setup.sh installs locally (WeasyPrint's, gettext) are in the image.
    setup = (REPO / "scripts" / "setup.sh").read_text()
    base_packages = re.search(r"^BASE_PACKAGES=\(([^)]*)\)", setup, re.MULTILINE).group(1).split()
    for package in set(base_packages) - {"python3-venv"}:
        assert re.search(rf"\s{re.escape(package)}(\s|$)", dockerfile), f"{package} is not installed in the image"
    assert "pip install -r requirements.txt" in dockerfile
    assert "compilemessages" in dockerfile and "collectstatic" in dockerfile
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    assert re.search(r"^EXPOSE 8000\b", dockerfile, re.MULTILINE)


# --- Test 2 and 3: the commands start, locally --------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url_of_test_db() -> str:
    """DATABASE_URL of pytest-django's test database (migrated), for the processes under test."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = quote(s["HOST"] or "127.0.0.1", safe="")
    return f"postgres://{auth}@{host}:{s['PORT'] or 5432}/{quote(s['NAME'], safe='')}"


@pytest.fixture(scope="module")
def broker_url():
    url = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    if not url.startswith("redis://"):
        pytest.fail(f"these tests need Redis: CELERY_BROKER_URL/REDIS_URL is {url}")
    client = redis.Redis.from_url(url, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is not reachable at {url}: {exc}")
    finally:
        client.close()
    return url


class Service:
    def __init__(self, name: str, argv: list[str], env: dict[str, str], log: Path):
        self.name, self.argv, self.env, self.log = name, argv, env, log
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                argv,
                cwd=REPO,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: gunicorn's and celery's children stop with it
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, probe, what: str, timeout: float = START_TIMEOUT):
        """Poll probe() until it returns something true; fail (with the output) if the process dies first."""
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                pytest.fail(f"{self.name} exited ({self.process.returncode}) before {what}:\n{self.output()}")
            try:
                result = probe()
            except OSError:  # connection refused, HTTP errors, timeouts
                result = None
            if result:
                return result
            if time.monotonic() > deadline:
                pytest.fail(f"{self.name}: no {what} within {timeout:.0f} s:\n{self.output()}")
            time.sleep(0.3)

    def stop(self):
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
            except ProcessLookupError:
                pass
        print(f"----- {self.name}: {shlex.join(self.argv)} (exit {self.process.returncode}) -----\n{self.output()}")


@pytest.fixture
def run_service(compose, broker_url, transactional_db, django_db_serialized_rollback, tmp_path):
    """Start a compose service's command here; stopped before the test database is flushed.

    transactional_db: what the test process writes is committed, and the processes see it (and vice versa).
    serialized_rollback: the reference data the migrations load is back after the flush, for later tests.
    """
    if connection.vendor != "postgresql":
        pytest.skip("the production shape runs on PostgreSQL: set DATABASE_URL")
    started: list[Service] = []

    def run(name: str, argv: list[str] | None = None) -> Service:
        argv = argv or argv_of(compose, name)
        compose_env = environment_of(compose, name)
        # This process's environment without anything the service sets; then the service's; then the
        # local servers and folders in place of the compose network's and the volumes.
        env = {k: v for k, v in os.environ.items() if k not in compose_env}
        env.update({k: str(v) for k, v in compose_env.items() if v is not None})
        env.update(
            DATABASE_URL=database_url_of_test_db(),
            REDIS_URL=broker_url,
            CELERY_BROKER_URL=broker_url,
            CELERY_TASK_ALWAYS_EAGER="false",
            VAR_DIR=str(tmp_path / "var"),  # STATIC_ROOT is under it: empty here, static files are not tested
            MEDIA_ROOT=str(tmp_path / "media"),
            PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
            CHECKPOINT_DIR=str(tmp_path / "checkpoints"),
            PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', os.defpath)}",
        )
        (tmp_path / "var" / "staticfiles").mkdir(parents=True, exist_ok=True)
        executable = shutil.which(argv[0], path=env["PATH"])
        assert executable and Path(executable).parent == VENV_BIN, f"{argv[0]} is not in {VENV_BIN}"
        service = Service(name, argv, env, tmp_path / f"{name}-{len(started)}.log")
        started.append(service)
        return service

    yield run
    for service in started:
        service.stop()


@pytest.fixture
def broker(broker_url):
    """A Celery app of its own on the broker: controls and sends by name, as another process would."""
    app = Celery("production-shape-test", broker=broker_url, set_as_current=False)
    yield app
    app.close()


def http_get_json(url: str):
    with urllib.request.urlopen(url, timeout=3) as response:
        return json.load(response) if response.status == 200 else None


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.mark.slow
def test_migrate_command_runs(run_service):
    migrate = run_service("migrate")
    assert migrate.process.wait(timeout=60) == 0, migrate.output()


@pytest.mark.slow
def test_web_answers_health(compose, run_service):
    port = free_port()
    url = f"http://127.0.0.1:{port}/health/"
    web = run_service("web", with_bind(argv_of(compose, "web"), f"127.0.0.1:{port}"))

    assert web.wait_for(lambda: http_get_json(url), f"200 from {url}") == {"status": "ok"}

    # The container's healthcheck passes too. It names the first of ALLOWED_HOSTS (production's need not
    # include 127.0.0.1): with a host the app does not allow, the same check fails.
    check = compose["services"]["web"]["healthcheck"]["test"]
    assert check[0] == "CMD"

    def healthcheck(**env):
        return subprocess.run(
            check[1:], cwd=REPO, env={**web.env, "HEALTHCHECK_URL": url, **env}, capture_output=True, timeout=30
        )

    passed = healthcheck()
    assert passed.returncode == 0, passed.stderr
    assert healthcheck(ALLOWED_HOSTS="elsewhere.example.test").returncode == 1


@pytest.mark.slow
def test_worker_answers_ping(compose, run_service, broker):
    # A node name of its own, so that only this worker's answer counts (others may share the broker).
    node = f"{unique('production-shape')}@localhost"
    worker = run_service("worker", [*argv_of(compose, "worker"), f"--hostname={node}"])

    replies = worker.wait_for(lambda: broker.control.ping(destination=[node], timeout=1.0), f"ping answer from {node}")
    assert replies == [{node: {"ok": "pong"}}]


@pytest.mark.slow
def test_beat_schedules_the_sweep(run_service):
    from django_celery_beat.models import PeriodicTask

    sweep = [name for name, entry in settings.CELERY_BEAT_SCHEDULE.items() if entry["task"] == SWEEP_TASK]
    assert sweep, f"{SWEEP_TASK} is not in CELERY_BEAT_SCHEDULE"
    beat = run_service("beat")

    # The DatabaseScheduler writes the settings' schedule to the database when beat starts.
    entry = beat.wait_for(
        lambda: PeriodicTask.objects.select_related("interval").filter(name=sweep[0], task=SWEEP_TASK).first(),
        "sweep in the database schedule",
    )
    assert entry.enabled
    assert entry.interval.period == "seconds"
    assert entry.interval.every == int(settings.CELERY_BEAT_SCHEDULE[sweep[0]]["schedule"])
    # The scheduler writes the entries one after another: wait for all of them, not only the first (issue 12).
    beat.wait_for(
        lambda: set(settings.CELERY_BEAT_SCHEDULE) <= set(PeriodicTask.objects.values_list("name", flat=True)),
        "every entry of the settings' schedule in the database",
    )
    beat.wait_for(lambda: "beat: Starting..." in beat.output(), "'beat: Starting...' in the log")
    time.sleep(1)
    assert beat.process.poll() is None, beat.output()


@pytest.mark.slow
def test_worker_runs_a_task_sent_through_redis(compose, run_service, broker, broker_url):
    """STACK-NOTES: eager tasks hide broker problems; here a real worker takes a real message off Redis.

    The task is tests/config/probe_tasks.py (included into the worker): its effect is a row in the test
    database. A queue of its own keeps other workers on the same broker from taking the message.
    """
    from django.contrib.sessions.models import Session

    node = f"{unique('production-shape')}@localhost"
    queue = unique("production-shape")
    include = f"--include={PROBE_MODULE}"
    worker = run_service("worker", [*argv_of(compose, "worker"), f"--hostname={node}", f"--queues={queue}", include])
    try:
        worker.wait_for(lambda: broker.control.ping(destination=[node], timeout=1.0), f"ping answer from {node}")
        token = uuid.uuid4().hex
        broker.send_task(PROBE_TASK, args=[token], queue=queue)

        worker.wait_for(lambda: Session.objects.filter(session_key=token).exists(), "effect of the probe task")
        worker.wait_for(lambda: f"Task {PROBE_TASK}[" in worker.output(), "task log line")
        assert " succeeded in " in worker.output()
    finally:
        client = redis.Redis.from_url(broker_url)
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        client.close()
