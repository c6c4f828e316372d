"""Returning an application (R30): the district's list of common reasons is offered beside the free text; what the
buyer reads is the ticked reasons and the text, joined; a reason of another district is not offered."""

import pytest
from django.urls import reverse

from applications.models import Application, ReturnReason
from applications.workflow import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def reasons(haidian, changping):
    return {
        "all": ReturnReason.objects.create(text="发票照片不清晰，请重新拍摄上传。", position=1),
        "haidian": ReturnReason.objects.create(district=haidian, text="请补充镇政府出具的证明。", position=2),
        "changping": ReturnReason.objects.create(district=changping, text="昌平区专用原因", position=3),
        "retired": ReturnReason.objects.create(text="已停用的原因", active=False),
    }


def test_the_district_s_reasons_are_offered_and_joined_with_the_text_R30(cast, submitted, reasons, login):
    app = submitted()
    client = login(cast["officer"])
    page = client.get(reverse("office:detail", args=[app.pk])).content.decode()
    for shown in ("发票照片不清晰，请重新拍摄上传。", "请补充镇政府出具的证明。"):
        assert shown in page
    for hidden in ("昌平区专用原因", "已停用的原因"):
        assert hidden not in page
    response = client.post(
        reverse("office:return", args=[app.pk]),
        {"return-reasons": ["发票照片不清晰，请重新拍摄上传。"], "return-reason": "铭牌照片也请重拍。"},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == State.RETURNED
    assert app.return_reason == "发票照片不清晰，请重新拍摄上传。；铭牌照片也请重拍。"


def test_a_ticked_reason_alone_is_enough_and_nothing_at_all_is_refused_R30(cast, submitted, reasons, login):
    first, second = submitted(serial="SN-1"), submitted(serial="SN-2")
    client = login(cast["officer"])
    client.post(reverse("office:return", args=[first.pk]), {"return-reasons": ["请补充镇政府出具的证明。"]})
    assert Application.objects.get(pk=first.pk).return_reason == "请补充镇政府出具的证明。"
    client.post(reverse("office:return", args=[second.pk]), {"return-reason": "  "})
    assert Application.objects.get(pk=second.pk).state == State.SUBMITTED
    # another district's reason is not a choice here
    client.post(reverse("office:return", args=[second.pk]), {"return-reasons": ["昌平区专用原因"]})
    assert Application.objects.get(pk=second.pk).state == State.SUBMITTED
