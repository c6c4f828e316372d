import pytest

from accounts.demo import DEMO_PASSWORD
from accounts.models import BuyerKind, District, Role, User


@pytest.fixture(autouse=True)
def _celery_eager(settings):
    """Tasks run in-process in tests; one test (tests/config) goes through a real worker on Redis."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True


@pytest.fixture(autouse=True)
def _static_files_without_collectstatic(settings):
    """Production serves hashed files from collectstatic's manifest; tests read the sources."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


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
    user = User(username=username, role=role, district=district, display_name=extra.pop("display_name", username))
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
