"""Removing an uploaded photo asks once before it is gone (UI.md: the farmer on a phone never loses work by a
slip of the thumb); the buyer's own draft only (R29)."""

import pytest
from django.urls import reverse

from applications import services
from applications.models import Document, DocumentKind
from tests.applications.conftest import jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploaded(cast, private_files):
    draft = services.start_application(buyer=cast["buyer"], district=cast["buyer"].district)
    document = services.add_document(
        application_id=draft.pk, user=cast["buyer"], kind=DocumentKind.MACHINE, upload=jpeg()
    )
    return draft, document


@pytest.fixture
def private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


def _remove_url(draft, document):
    return reverse("apply:remove_document", args=[draft.pk, document.pk])


def test_the_documents_step_links_to_a_question_not_a_button_that_removes_R29(login, cast, uploaded):
    draft, document = uploaded
    body = login(cast["buyer"]).get(reverse("apply:documents", args=[draft.pk])).content.decode()
    assert f'href="{_remove_url(draft, document)}"' in body
    assert f'action="{_remove_url(draft, document)}"' not in body


def test_opening_remove_asks_and_removes_nothing_then_yes_removes_it_R29(login, cast, uploaded):
    draft, document = uploaded
    client = login(cast["buyer"])
    response = client.get(_remove_url(draft, document))
    body = response.content.decode()
    assert response.status_code == 200
    assert "要删除这张照片吗？" in body and "是，删除" in body and "不，保留" in body
    assert Document.objects.get(pk=document.pk).removed_at is None
    response = client.post(_remove_url(draft, document))
    assert response.status_code == 302
    assert Document.objects.get(pk=document.pk).removed_at is not None


def test_another_buyer_cannot_even_see_the_question_R29(login, cast, uploaded):
    draft, document = uploaded
    assert login(cast["other_buyer"]).get(_remove_url(draft, document)).status_code == 404
    assert Document.objects.get(pk=document.pk).removed_at is None
