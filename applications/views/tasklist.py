"""The buyer's task list (UI.md "task list"): each step of the application with its status, read from what the
draft holds; and the small reads its steps share (the commitment signed in this session, the documents by kind)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.selectors import products_open_for_application, qualification

from .. import selectors
from ..commitment import commitment_letter
from ..models import DocumentKind
from ..rules import REQUIRED_DOCUMENTS, cash_flagged


def commitment_key(application) -> str:
    return f"apply-commitment-{application.pk}"


def commitment_signed(request, application) -> bool:
    """The buyer ticked the current letter in this session; it is signed for good on submission (R29)."""
    version, _text = commitment_letter()
    return request.session.get(commitment_key(application)) == version


def documents_by_kind(application) -> dict[str, list]:
    by_kind: dict[str, list] = {}
    for document in selectors.documents_of(application).order_by("uploaded_at", "id"):
        by_kind.setdefault(document.kind, []).append(document)
    return by_kind


def document_kinds(application) -> list[str]:
    kinds = list(REQUIRED_DOCUMENTS)
    if application.outside_base:
        kinds.append(DocumentKind.BASE_PROOF)
    return kinds


def product_open(product) -> bool:
    return products_open_for_application(on=timezone.localdate()).filter(pk=product.pk).exists()


def qualification_problems(application) -> list[str]:
    """Why the chosen machine would be refused on these dates (R10, R12, R13), said before submitting."""
    if not (application.product and application.production_date and application.purchase_date):
        return []
    result = qualification(
        product=application.product, produced_on=application.production_date, bought_on=application.purchase_date
    )
    return [] if result else [str(reason) for reason in result.reasons]


def cash_flagged_application(application) -> bool:
    """R28: cash above 5,000 yuan is a warning for the officials, not a refusal."""
    return cash_flagged(application.payment_method, application.invoice_price)


NOT_STARTED, DONE, CHANGE = "not_started", "done", "change"
STATUS_LABELS = {
    NOT_STARTED: gettext_lazy("Not started"),
    DONE: gettext_lazy("Completed"),
    CHANGE: gettext_lazy("Needs changes"),
}
STATUS_TONES = {NOT_STARTED: "muted", DONE: "ok", CHANGE: "warn"}


@dataclass
class Task:
    key: str
    title: str
    url: str
    status: str
    hint: str = ""

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def tone(self):
        return STATUS_TONES[self.status]


def status_of(values, *, problem: bool = False) -> str:
    filled = [v not in (None, "") for v in values]
    if not any(filled):
        return NOT_STARTED
    if problem or not all(filled):
        return CHANGE
    return DONE


def task_list(request, application, documents: dict) -> list[Task]:
    a = application
    base_incomplete = a.outside_base and (not a.outside_base_address or a.annual_supply_tonnes is None)
    machine_closed = a.product is not None and not product_open(a.product)
    kinds = document_kinds(a)
    have = [kind for kind in kinds if documents.get(kind)]
    docs = DONE if len(have) == len(kinds) else (CHANGE if have else NOT_STARTED)
    account = status_of([a.bank_name, a.account_encrypted]) if (a.bank_name or a.account_encrypted) else NOT_STARTED
    if account == DONE and not a.payee_name:
        account = CHANGE
    return [
        Task(
            "buyer",
            _("Buyer details"),
            reverse("apply:buyer", args=[a.pk]),
            status_of([a.ground], problem=base_incomplete),
        ),
        Task(
            "machine",
            _("The machine"),
            reverse("apply:machine", args=[a.pk]),
            status_of([a.product_id], problem=machine_closed),
            _("This machine can no longer be chosen: choose again.") if machine_closed else "",
        ),
        Task(
            "purchase",
            _("Invoice and payment"),
            reverse("apply:purchase", args=[a.pk]),
            status_of(
                [
                    a.serial_number,
                    a.production_date,
                    a.purchase_date,
                    a.invoice_number,
                    a.invoice_price,
                    a.payment_method,
                ],
                problem=bool(qualification_problems(a)),
            ),
        ),
        Task("documents", _("Photos and scans"), reverse("apply:documents", args=[a.pk]), docs),
        Task("account", _("Bank account for the subsidy"), reverse("apply:account", args=[a.pk]), account),
        Task(
            "commitment",
            _("Sign the commitment letter"),
            reverse("apply:commitment", args=[a.pk]),
            DONE if commitment_signed(request, a) else NOT_STARTED,
        ),
    ]
