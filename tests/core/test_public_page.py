"""What each district publishes (R25): its telephones for questions and for complaints, and the working days it has
set for verification and hand-over (A1 §4(6)), on the public page, in constant queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import District
from applications.models import DistrictRule

pytestmark = pytest.mark.django_db
PUBLIC = reverse("core:public")


def row_of(content: str, code: str) -> str:
    start = content.index(f'data-district="{code}"')
    return content[start : content.index("</tr>", start)]


def cell_of(row: str, label: str) -> str:
    """The text of the row's cell headed ``label`` (its ``data-label``, as phones show the table)."""
    start = row.index(f'data-label="{label}"')
    return row[row.index(">", start) + 1 : row.index("</td>", start)].strip()


def test_each_district_publishes_its_telephones_and_step_lengths_R25(client, haidian, changping):
    District.objects.filter(pk=haidian.pk).update(consultation_phone="010-62345678", complaint_phone="12316")
    DistrictRule.objects.create(
        district=changping, valid_from=date(2026, 1, 1), verify_days=10, hand_over_days=8, document="昌农发〔2026〕5号"
    )
    content = client.get(PUBLIC).content.decode()
    haidian_row, changping_row = row_of(content, haidian.code), row_of(content, changping.code)
    assert "010-62345678" in haidian_row and "12316" in haidian_row and "13" in haidian_row
    assert "尚未公布" in changping_row  # no telephone entered yet: said, not left blank
    assert cell_of(changping_row, "核验") == "10 个工作日" and cell_of(changping_row, "移交财政") == "8 个工作日"
    assert "昌农发〔2026〕5号" in changping_row
    assert content.count("data-district=") == District.objects.filter(active=True).count()


def test_the_public_page_takes_the_same_queries_whatever_the_rules(client, haidian, changping):
    with CaptureQueriesContext(connection) as few:
        client.get(PUBLIC)
    for n, district in enumerate(District.objects.filter(active=True)):
        DistrictRule.objects.create(district=district, valid_from=date(2026, 2, 1 + n % 27), verify_days=12)
    with CaptureQueriesContext(connection) as many:
        client.get(PUBLIC)
    assert len(many.captured_queries) == len(few.captured_queries)
