import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import BuyerKind, District, Role, User


@pytest.fixture(autouse=True)
def _celery_eager(settings):
    """Tasks run in-process in tests; one test (tests/config) goes through a real worker on Redis."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True


@pytest.fixture(scope="session", autouse=True)
def _serialized_reference_data_on_every_connection(django_db_setup):
    """Transactional tests with ``serialized_rollback`` restore the reference data the migrations load
    (districts, calendar, catalogue) after another test's flush. Django keeps that data on the connection
    object; Playwright's sync API runs the test in another context, where Django opens a new connection object
    without it. Keeping it on the class gives every connection object the same data."""
    from django.db import connections

    contents = getattr(connections["default"], "_test_serialized_contents", None)
    if contents is not None:
        type(connections["default"])._test_serialized_contents = contents


@pytest.fixture(autouse=True)
def _static_files_without_collectstatic(settings):
    """Production serves hashed files from collectstatic's manifest; tests read the sources."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


TEST_CHAIN_KEY = "test-chain-key-not-secret"


@pytest.fixture(autouse=True)
def _chain_key_and_checkpoints(settings, tmp_path):
    """The trails' hashes are keyed with a fixed test key; checkpoints go to a folder of the test's own (R45)."""
    settings.CHAIN_KEY = TEST_CHAIN_KEY
    settings.CHECKPOINT_DIR = tmp_path / "checkpoints"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness costs seconds per test and proves nothing here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def haidian(db):
    return District.objects.get(code="110108")


@pytest.fixture
def changping(db):
    return District.objects.get(code="110114")


def make_user(username, role, district=None, **extra):
    """A user of long standing (made 90 days ago, so past four-eyes' cooling-off, R36) unless ``date_joined``
    says otherwise."""
    user = User(username=username, role=role, district=district, display_name=extra.pop("display_name", username))
    user.date_joined = timezone.now() - timedelta(days=90)
    for field, value in extra.items():
        setattr(user, field, value)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


@pytest.fixture
def new_user(db):
    """Make one more user: ``new_user("o3", Role.DISTRICT_AGRICULTURE, district)``."""
    return make_user


@pytest.fixture
def cast(haidian, changping):
    """The cast of users every access test needs (healthchecks' hc/test.py idea)."""
    return {
        "buyer": make_user(
            "b1",
            Role.BUYER,
            haidian,
            buyer_kind=BuyerKind.INDIVIDUAL,
            display_name="张三",
            mobile="13900000001",
            id_number="110108197503120033",
        ),
        "other_buyer": make_user(
            "b2", Role.BUYER, changping, buyer_kind=BuyerKind.INDIVIDUAL, display_name="李四", mobile="13900000002"
        ),
        "officer": make_user("o1", Role.DISTRICT_AGRICULTURE, haidian),
        "other_officer": make_user("o2", Role.DISTRICT_AGRICULTURE, changping),
        "finance": make_user("f1", Role.DISTRICT_FINANCE, haidian),
        "city": make_user("c1", Role.CITY_AGRICULTURE),
        "city_finance": make_user("c2", Role.CITY_FINANCE),
        "auditor": make_user("a1", Role.AUDITOR),
        "maker": make_user("m1", Role.MANUFACTURER),
    }


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


# --- Browsers: Debian's Chromium (/usr/bin/chromium) driven by Playwright; nothing downloads a browser. ---------

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(scope="session")
def browser(_serialized_reference_data_on_every_connection):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def shot():
    """Save a full-page screenshot under test-artifacts/ to look at (not compared)."""

    def _shot(page, name):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return _shot


def texted_code() -> str:
    """The verification code in the newest text message of the SMS outbox (R3: the mobile number is confirmed)."""
    import re

    from notifications.models import SmsMessage

    return re.search(r"\d{6}", SmsMessage.objects.order_by("-created_at", "-id").first().text).group()
