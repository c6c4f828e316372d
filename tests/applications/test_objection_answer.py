"""The buyer's answer (申辩) to an objection raised during the public notice (R34): a statement with documents,
recorded as an event, read by the officer beside the objection; another buyer finds nothing."""

import pytest
from django.http import Http404

from applications import services
from applications.models import ApplicationEvent, Document, DocumentKind, EventAction, ObjectionAnswer
from applications.services import ApplicationError
from applications.workflow import State
from tests.applications.conftest import jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture
def objected(cast, verified):
    app = verified()
    services.open_notice(application_id=app.pk, officer=cast["officer"])
    objection = services.object_to_notice(
        application_id=app.pk, text="该机具实际为他人所有", name="王某", contact="13700000000"
    )
    app.refresh_from_db()
    assert app.state == State.UNDER_INVESTIGATION
    return app, objection


def test_the_buyer_is_told_and_answers_with_documents_R34(cast, objected, login):
    app, objection = objected
    client = login(cast["buyer"])
    page = client.get(f"/apply/{app.pk}/").content.decode()
    assert f'id="objection-{objection.pk}"' in page and "该机具实际为他人所有" in page
    assert "王某" not in page and "13700000000" not in page  # the objector stays unknown to the buyer
    url = f"/apply/{app.pk}/objections/{objection.pk}/answer/"
    response = client.post(
        url, {"text": "机具是本人2026年购买，发票在本人名下。", "documents": [jpeg("a.jpg"), jpeg("b.jpg")]}
    )
    assert response.status_code == 302 and response["Location"] == f"/apply/{app.pk}/"
    answer = ObjectionAnswer.objects.get()
    assert (answer.objection, answer.sent_by, answer.text) == (
        objection,
        cast["buyer"],
        "机具是本人2026年购买，发票在本人名下。",
    )
    documents = list(Document.objects.filter(answer=answer))
    assert [d.kind for d in documents] == [DocumentKind.ANSWER, DocumentKind.ANSWER]
    event = ApplicationEvent.objects.filter(application=app).order_by("-id").first()
    assert (event.action, event.actor, event.data) == (
        EventAction.ANSWER,
        cast["buyer"],
        {"objection": objection.pk, "answer": answer.pk, "documents": [d.pk for d in documents]},
    )
    app.refresh_from_db()
    assert app.state == State.UNDER_INVESTIGATION  # an answer decides nothing

    # the officer reads it beside the objection, with links to its documents
    office = login(cast["officer"]).get(f"/office/applications/{app.pk}/").content.decode()
    assert f'data-answer="{answer.pk}"' in office and "发票在本人名下" in office
    for document in documents:
        assert f"/apply/documents/{document.pk}/" in office
    assert login(cast["officer"]).get(f"/apply/documents/{documents[0].pk}/").status_code == 200


def test_another_buyer_cannot_see_or_answer_the_objection_R34(cast, objected, login):
    app, objection = objected
    client = login(cast["other_buyer"])
    url = f"/apply/{app.pk}/objections/{objection.pk}/answer/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "冒充"}).status_code == 404
    with pytest.raises(Http404):
        services.answer_objection(objection_id=objection.pk, buyer=cast["other_buyer"], text="冒充")
    assert not ObjectionAnswer.objects.exists()
    assert not ApplicationEvent.objects.filter(action=EventAction.ANSWER).exists()
    # an official is no buyer
    assert login(cast["officer"]).get(url).status_code == 403


def test_an_empty_answer_is_refused_beside_the_field(cast, objected, login):
    app, objection = objected
    response = login(cast["buyer"]).post(f"/apply/{app.pk}/objections/{objection.pk}/answer/", {"text": "  "})
    assert response.status_code == 200 and response.context["form"].errors["text"]
    assert not ObjectionAnswer.objects.exists()


def test_a_decided_objection_can_no_longer_be_answered_R34(cast, objected, login):
    app, objection = objected
    services.clear_investigation(application_id=app.pk, officer=cast["officer"], finding="经核实为本人所有")
    with pytest.raises(ApplicationError):
        services.answer_objection(objection_id=objection.pk, buyer=cast["buyer"], text="补充说明")
    assert login(cast["buyer"]).get(f"/apply/{app.pk}/objections/{objection.pk}/answer/").status_code == 404
    assert not ObjectionAnswer.objects.exists()


def test_an_answer_document_is_not_a_draft_document(cast):
    app = services.start_application(buyer=cast["buyer"])
    with pytest.raises(ApplicationError):
        services.add_document(application_id=app.pk, user=cast["buyer"], kind=DocumentKind.ANSWER, upload=jpeg())
