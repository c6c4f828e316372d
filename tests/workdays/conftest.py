import pytest

# The National Day week of a made-up 2027 notice, in the notice's own words (休 = off, 班 = worked).
NOTICE_2027 = """date,kind,note
2027-10-01,休,国庆节
2027-10-04,休,国庆节
2027-10-05,休,国庆节
2027-10-06,holiday,国庆节
2027-10-07,holiday,国庆节
2027-10-09,班,国庆节调休
"""


@pytest.fixture
def notice_2027():
    return NOTICE_2027


@pytest.fixture
def bureau(cast):
    """The municipal agriculture bureau's user, with the Django admin."""
    user = cast["city"]
    user.is_staff = True
    user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user
