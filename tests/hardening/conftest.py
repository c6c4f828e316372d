"""Fixtures of the hardening tests (issue 14): the money fixtures, reused."""

from tests.payments.conftest import (  # noqa: F401 - fixtures shared with the payment tests
    _private_media,
    approved,
    fill,
    fund,
    make_product,
    photo,
    product,
    requested,
    second_finance,
    submitted,
    today,
    verified,
)
