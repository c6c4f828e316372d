"""R10, R12, R13: whether a product qualifies for a machine produced on P and bought on B, and why not."""

from datetime import date

import pytest

from catalog.models import Certificate, CertificateKind, Manufacturer, Product, Scope

from .conftest import grade, item

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return Manufacturer.objects.create(name="测试农机", credit_code="91110000600037341L")


def product(company, code, scope="central", **extra):
    g = grade(code, "测试档次", "功率≥1kW", scope=scope)
    return Product.objects.create(
        manufacturer=company, item=item(code, scope), grade=g, name="测试产品", model=f"T-{code}", **extra
    )


def cert(p, kind, start=None, end=None):
    return Certificate.objects.create(product=p, kind=kind, number="N1", valid_from=start, valid_until=end)


def test_appraisal_certificate_valid_on_both_dates_qualifies_R10(company):
    from catalog.selectors import qualification

    p = product(company, "1.1.2")
    c = cert(p, CertificateKind.TEST_APPRAISAL, date(2023, 1, 1), date(2026, 12, 31))
    result = qualification(product=p, produced_on=date(2024, 5, 1), bought_on=date(2025, 3, 1))
    assert (result.qualifies, result.rule, result.reasons, result.certificates) == (True, "R10", [], [c])


def test_certificate_expired_on_the_purchase_date_is_refused_R10(company):
    from catalog.selectors import qualification

    p = product(company, "1.1.2")
    cert(p, CertificateKind.COMPULSORY, date(2021, 1, 1), date(2024, 12, 31))
    result = qualification(product=p, produced_on=date(2024, 10, 1), bought_on=date(2025, 1, 2))
    assert not result.qualifies
    assert result.rule == "R10"
    assert result.reasons == [
        "Compulsory product certification is valid 2021-01-01 – 2024-12-31; the purchase date 2025-01-02 is outside it."
    ]


def test_production_before_the_certificate_is_refused_R10(company):
    from catalog.selectors import qualification

    p = product(company, "1.1.2")
    cert(p, CertificateKind.VOLUNTARY, date(2024, 6, 1), date(2027, 5, 31))
    result = qualification(product=p, produced_on=date(2024, 5, 31), bought_on=date(2024, 7, 1))
    assert not result.qualifies
    assert "production date 2024-05-31" in result.reasons[0]


def test_one_of_several_certificates_is_enough_R10(company):
    from catalog.selectors import qualification

    p = product(company, "1.1.2")
    cert(p, CertificateKind.TEST_APPRAISAL, date(2020, 1, 1), date(2023, 12, 31))
    good = cert(p, CertificateKind.PROMOTION_APPRAISAL, date(2023, 6, 1), date(2028, 5, 31))
    result = qualification(product=p, produced_on=date(2024, 1, 1), bought_on=date(2024, 2, 1))
    assert (result.qualifies, result.certificates) == (True, [good])


def test_no_certificate_at_all_is_refused_R10(company):
    from catalog.selectors import qualification

    result = qualification(product=product(company, "1.1.2"), produced_on=date(2024, 1, 1), bought_on=date(2024, 2, 1))
    assert (result.qualifies, result.rule) == (False, "R10")
    assert len(result.reasons) == 1


def test_drones_qualify_under_their_own_rule_set_R12(company):
    from catalog.selectors import qualification

    drone = product(company, "3.2.2")
    cert(drone, CertificateKind.TEST_APPRAISAL, date(2023, 1, 1), date(2027, 1, 1))
    result = qualification(product=drone, produced_on=date(2024, 1, 1), bought_on=date(2024, 2, 1))
    assert (result.qualifies, result.rule) == (False, "R12")
    cert(drone, CertificateKind.DRONE, date(2023, 1, 1), date(2027, 1, 1))
    assert qualification(product=drone, produced_on=date(2024, 1, 1), bought_on=date(2024, 2, 1)).qualifies


def test_municipal_catalogue_needs_conformity_nameplate_and_standard_R13(company):
    from catalog.selectors import qualification

    p = product(company, "8.1.1", scope=Scope.MUNICIPAL)
    cert(p, CertificateKind.CONFORMITY)
    result = qualification(product=p, produced_on=date(2024, 1, 1), bought_on=date(2024, 2, 1))
    assert (result.qualifies, result.rule) == (False, "R13")
    assert result.reasons == ["Missing: Nameplate.", "Missing: Executive standard."]
    cert(p, CertificateKind.NAMEPLATE)
    cert(p, CertificateKind.STANDARD)
    assert qualification(product=p, produced_on=date(2024, 1, 1), bought_on=date(2024, 2, 1)).qualifies


def test_municipal_test_report_is_required_only_under_a_mandatory_standard_R13(company):
    from catalog.selectors import qualification

    p = product(company, "8.1.1", scope=Scope.MUNICIPAL, mandatory_standard=True)
    for kind in (CertificateKind.CONFORMITY, CertificateKind.NAMEPLATE, CertificateKind.STANDARD):
        cert(p, kind)
    result = qualification(product=p, produced_on=date(2024, 1, 1), bought_on=date(2024, 2, 1))
    assert result.reasons == ["Missing: Test report."]
    cert(p, CertificateKind.TEST_REPORT, date(2023, 1, 1), date(2026, 1, 1))
    assert qualification(product=p, produced_on=date(2024, 1, 1), bought_on=date(2024, 2, 1)).qualifies
