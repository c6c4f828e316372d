"""The buyer's pages, mounted at ``/apply/`` (namespace ``apply``); ``apply:document`` serves a document's file
to anyone who may see its application, officials included."""

from django.urls import path

from .views import answers, buyer, documents, sales

app_name = "apply"

urlpatterns = [
    path("", buyer.home, name="home"),
    path("start/", buyer.start, name="start"),
    path("sales/<int:pk>/", sales.sale, name="sale"),
    path("<int:pk>/", buyer.application, name="application"),
    path("<int:pk>/tasks/", buyer.tasks, name="tasks"),
    path("<int:pk>/buyer/", buyer.step_buyer, name="buyer"),
    path("<int:pk>/machine/", buyer.step_machine, name="machine"),
    path("<int:pk>/purchase/", buyer.step_purchase, name="purchase"),
    path("<int:pk>/documents/", buyer.step_documents, name="documents"),
    path("<int:pk>/documents/<int:document_pk>/remove/", buyer.remove_document, name="remove_document"),
    path("<int:pk>/account/", buyer.step_account, name="account"),
    path("<int:pk>/commitment/", buyer.step_commitment, name="commitment"),
    path("<int:pk>/check/", buyer.check, name="check"),
    path("<int:pk>/submit/", buyer.submit, name="submit"),
    path("<int:pk>/submitted/", buyer.submitted, name="submitted"),
    path("<int:pk>/withdraw/", buyer.withdraw, name="withdraw"),
    path("<int:pk>/objections/<int:objection_pk>/answer/", answers.answer, name="answer_objection"),
    path("documents/<int:pk>/", documents.document, name="document"),
]
