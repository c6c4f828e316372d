"""Payment batches and the treasury's files (R9, R19, R24, R36, R45), district finance's work: build a batch of
requested payments, a second officer approves it, export it to the treasury, import the return file that pays (or
fails) each row, and resolve what did not reconcile; the buyer corrects an account the treasury could not pay."""

import hashlib
import uuid
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import scope
from accounts.models import BuyerKind
from accounts.roles import four_eyes_refusal
from applications import deadlines, events
from applications.locks import locked_application
from applications.messages import in_buyer_language, split_text, subsidy_text, tell_buyer
from applications.models import Application, EventAction, Kind, Step, Warning
from applications.rules import account_digits
from applications.workflow import State
from catalog.models import FundSource, InnovationListing
from catalog.money import format_yuan

from .. import adapters, ledger, selectors
from ..errors import PaymentError
from ..models import (
    BatchItem,
    BatchState,
    Deferral,
    DeferralReason,
    EntryKind,
    ExceptionKind,
    Export,
    ItemOutcome,
    Payment,
    PaymentBatch,
    ReconciliationException,
    ReturnImport,
)
from .common import RATIO_ALERT, ZERO, local_today, required_reason
from .deferral import defer
from .funds import release


def build_batch(*, officer, application_ids) -> PaymentBatch:
    """支付批次: gather requested payments of the officer's district. An open ratio alert (R19) refuses the
    application; one that would pass the innovation products' ceiling (R9) is deferred with that reason instead."""
    ids = sorted({int(i) for i in application_ids})
    if not ids:
        raise PaymentError(_("Choose at least one payment request."), rule="R36")
    scope.ensure_district_finance(officer)
    today = local_today()
    with transaction.atomic():
        apps = list(
            Application.objects.select_for_update(of=("self",))
            .select_related("district", "buyer", "product")
            .filter(pk__in=ids, district_id=officer.district_id)
            .order_by("pk")
        )
        if len(apps) != len(ids):
            raise Http404
        _check_batchable(apps, on=today)
        batch = PaymentBatch.objects.create(
            number=f"tmp-{uuid.uuid4().hex[:28]}", district_id=officer.district_id, built_by=officer
        )
        batch.number = f"ZF{apps[0].district.code}-{today:%Y%m%d}-{batch.pk:05d}"
        batch.save(update_fields=["number"])
        items = [
            BatchItem(
                batch=batch,
                application=app,
                central=app.amounts_by_source[FundSource.CENTRAL],
                municipal=app.amounts_by_source[FundSource.MUNICIPAL],
                district_amount=app.amounts_by_source[FundSource.DISTRICT],
                total=app.total_amount,
            )
            for app in _within_innovation_ceiling(apps, officer=officer)
        ]
        BatchItem.objects.bulk_create(items)
        if not items:
            raise PaymentError(
                _("No application could be included: each would pass the innovation products' ceiling."), rule="R9"
            )
    return batch


def _check_batchable(apps: list[Application], *, on: date) -> None:
    """Refuse the batch if any request is not waiting for payment or already in a batch, would take its buyer past
    the annual cap (R24, this batch's requests counted together) or has an open ratio alert (R19). Everything the
    checks need is read once for the whole batch: a constant number of queries however many."""
    in_batch = set(
        BatchItem.objects.filter(application__in=apps, outcome=ItemOutcome.PENDING).values_list(
            "application_id", flat=True
        )
    )
    alerted = set(
        Warning.objects.filter(application__in=apps, code=RATIO_ALERT, cleared_at__isnull=True).values_list(
            "application_id", flat=True
        )
    )
    paid = {  # (buyer, year) -> paid so far; this batch's own requests are added as they are checked
        (row["application__buyer_id"], row["application__year"]): row["total"]
        for row in Payment.objects.filter(
            application__buyer__in={a.buyer_id for a in apps},
            application__year__in={a.year for a in apps},
            application__kind=Kind.PURCHASE,  # an incentive (R20) takes nothing of the annual cap
        )
        .values("application__buyer_id", "application__year")
        .annotate(total=Sum("total"))
        .order_by()
    }
    caps: dict = {}  # (district, buyer kind) -> cap: the rows do not depend on the buyer otherwise
    for app in apps:
        if app.state != State.PAYMENT_REQUESTED:
            raise PaymentError(
                _("%(number)s is not waiting for payment (%(state)s).")
                % {"number": app.number, "state": app.get_state_display()},
                rule="R36",
            )
        if app.pk in in_batch:
            raise PaymentError(_("%(number)s is already in a batch.") % {"number": app.number}, rule="R36")
        key = (app.district_id, app.buyer.buyer_kind or BuyerKind.INDIVIDUAL)
        if key not in caps:
            caps[key] = selectors.cap_for(app.buyer, app.district, on)[0]
        if not app.is_incentive:
            paid[(app.buyer_id, app.year)] = _within_cap(app, caps[key], paid.get((app.buyer_id, app.year), ZERO))
        if app.pk in alerted:
            raise PaymentError(
                _("%(number)s has a ratio alert the district has not cleared with district finance.")
                % {"number": app.number},
                rule="R19",
            )


def _within_cap(app: Application, cap, so_far):
    """R24: what the buyer is paid this year with this request, refused past the cap."""
    if so_far + app.total_amount > cap:
        raise PaymentError(
            _(
                "%(number)s would take the buyer past the annual cap of %(cap)s yuan: %(paid)s yuan is paid "
                "this year, %(remaining)s yuan remains."
            )
            % {
                "number": app.number,
                "cap": format_yuan(cap),
                "paid": format_yuan(so_far),
                "remaining": format_yuan(max(cap - so_far, ZERO)),
            },
            rule="R24",
        )
    return so_far + app.total_amount


def _within_innovation_ceiling(apps: list[Application], *, officer) -> list[Application]:
    """The requests the innovation products' ceiling (R9) lets into the batch; the others are deferred with that
    reason, saying what room is left."""
    innovative = set(
        InnovationListing.objects.filter(year__in={a.year for a in apps}, strategic=False).values_list(
            "year", "item_id"
        )
    )
    rooms: dict = {}  # (district, year) -> central money innovation products may still use (R9)
    included = []
    for app in apps:
        central = app.amounts_by_source[FundSource.CENTRAL]
        item_id = app.snapshot.get("item", {}).get("id") or (app.product and app.product.item_id)
        if (app.year, item_id) in innovative:
            where = (app.district_id, app.year)
            if where not in rooms:
                rooms[where] = selectors.innovation_room(app.district, app.year)
            room = rooms[where]
            if room is not None and central > room:
                defer(
                    app,
                    reason=DeferralReason.INNOVATION_CEILING,
                    officer=officer,
                    note=_("Central funds left for innovation products this year: %(room)s yuan.")
                    % {"room": format_yuan(max(room, ZERO))},
                )
                continue
            if room is not None:
                rooms[where] = room - central
        included.append(app)
    return included


def _locked_batch(batch_id: int, officer) -> PaymentBatch:
    batch = PaymentBatch.objects.select_for_update().select_related("district").filter(pk=batch_id).first()
    if batch is None:
        raise Http404
    scope.ensure_pays_for(officer, batch.district_id)
    return batch


def approve_batch(*, batch_id: int, officer) -> PaymentBatch:
    """Four-eyes (R36, R45): a second finance officer of the district approves; never the one who built it (the
    database refuses it too). Approving pays nothing yet and reserves nothing twice."""
    with transaction.atomic():
        batch = _locked_batch(batch_id, officer)
        if batch.state != BatchState.BUILT:
            raise PaymentError(_("This batch is not waiting for approval."), rule="R36")
        if batch.built_by_id == officer.pk:
            raise PaymentError(_("You built this batch; a second finance officer must approve it."), rule="R36")
        if refusal := four_eyes_refusal(approver=officer, builder_id=batch.built_by_id):  # no shadow approver
            raise PaymentError(refusal, rule="R36")
        if not batch.items.filter(outcome=ItemOutcome.PENDING).exists():
            raise PaymentError(
                _("Every application was taken out of this batch; there is nothing to approve."), rule="R36"
            )
        batch.state, batch.approved_by, batch.approved_at = BatchState.APPROVED, officer, timezone.now()
        batch.save(update_fields=["state", "approved_by", "approved_at"])
    return batch


def export_batch(*, batch_id: int, officer, file_format: str, layout: str = "default") -> tuple[str, bytes, str]:
    """The approved batch as the treasury's file (full account numbers: each export is recorded). Returns
    (file name, content, content type)."""
    if file_format not in ("xlsx", "csv"):
        raise PaymentError(_("Choose XLSX or CSV."), rule="R36")
    chosen = adapters.layout_named(layout)
    with transaction.atomic():
        batch = _locked_batch(batch_id, officer)
        if batch.state not in (BatchState.APPROVED, BatchState.EXPORTED, BatchState.CLOSED):
            raise PaymentError(_("A batch is exported only after a second officer approves it."), rule="R36")
        items = list(
            batch.items.exclude(outcome=ItemOutcome.REMOVED)
            .select_related("application")
            .order_by("application__number")
        )
        rows = adapters.payment_rows(chosen, batch, items)
        if file_format == "xlsx":
            content, content_type = (
                adapters.to_xlsx(rows, batch.number),
                ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            )
        else:
            content, content_type = adapters.to_csv(rows), "text/csv; charset=utf-8"
        Export.objects.create(
            batch=batch,
            layout=chosen.name,
            file_format=file_format,
            rows=len(items),
            sha256=hashlib.sha256(content).hexdigest(),
            by=officer,
        )
        if batch.state == BatchState.APPROVED:
            batch.state = BatchState.EXPORTED
            batch.save(update_fields=["state"])
    return f"{batch.number}.{file_format}", content, content_type


def _payment_entries(application: Application, item: BatchItem, *, officer, batch, voucher: str) -> None:
    """The payment entries, split by fund source (R21). Where central or municipal money is short, district money
    is advanced for the difference (R22): the buyer is paid in full and the municipality settles it later."""
    funds = ledger.lock_funds(application.district, application.year)
    available = ledger.available_by_source(application.district, application.year)
    for source, amount in (
        (FundSource.CENTRAL, item.central),
        (FundSource.MUNICIPAL, item.municipal),
        (FundSource.DISTRICT, item.district_amount),
    ):
        if amount <= 0:
            continue
        covered = amount if source == FundSource.DISTRICT else max(min(amount, available[source]), ZERO)
        if covered > 0:
            ledger.append(
                funds[source],
                kind=EntryKind.INCENTIVE if application.is_incentive else EntryKind.PAYMENT,
                amount=-covered,
                actor=officer,
                application=application,
                batch=batch,
                document=voucher,
                reason=application.number,
            )
        if amount > covered:
            ledger.append(
                funds[FundSource.DISTRICT],
                kind=EntryKind.ADVANCE,
                amount=-(amount - covered),
                actor=officer,
                application=application,
                batch=batch,
                document=voucher,
                reason=_("District money advanced for short %(source)s funds") % {"source": FundSource(source).label},
            )


def _pay(item: BatchItem, *, voucher: str, officer, batch: PaymentBatch, on: date) -> Payment:
    """Mark the application paid and write its payment entries, split by fund source (R21, R36)."""
    application = item.application
    with transaction.atomic():  # a savepoint: a voucher taken by another row rolls back only this row
        payment = Payment.objects.create(
            application=application,
            voucher=voucher,
            batch=batch,
            central=item.central,
            municipal=item.municipal,
            district_amount=item.district_amount,
            total=item.total,
            paid_on=on,
            recorded_by=officer,
        )
        before = application.state
        release(
            application, actor=officer, reason=_("paid under voucher %(voucher)s") % {"voucher": voucher}, batch=batch
        )
        _payment_entries(application, item, officer=officer, batch=batch, voucher=voucher)
        application.pay()
        application.save()
        deadlines.meet(application, Step.PAY)
        item.outcome = ItemOutcome.PAID
        item.save(update_fields=["outcome"])
        Deferral.objects.filter(application=application, ended_at__isnull=True).update(ended_at=timezone.now())
        amounts = {
            FundSource.CENTRAL: item.central,
            FundSource.MUNICIPAL: item.municipal,
            FundSource.DISTRICT: item.district_amount,
        }
        paid = {"total": format_yuan(item.total), "split": split_text(amounts), "voucher": voucher}
        events.record(
            application,
            action=EventAction.PAY,
            actor=officer,
            from_state=before,
            # the timeline shows the reason to the buyer, in the buyer's language
            reason=in_buyer_language(
                application, gettext_lazy("%(total)s yuan paid (%(split)s); treasury voucher %(voucher)s."), **paid
            ),
            data={"voucher": voucher, "batch": batch.number, "total": str(item.total)},
        )
        tell_buyer(
            application,
            gettext_lazy("Application %(number)s paid"),
            gettext_lazy("%(total)s yuan was paid to your account (%(split)s); treasury voucher %(voucher)s."),
            **paid,
        )
    return payment


def _fail(item: BatchItem, *, reason: str, officer, batch: PaymentBatch) -> None:
    application = item.application
    item.outcome, item.failure_reason = ItemOutcome.FAILED, reason[:300]
    item.save(update_fields=["outcome", "failure_reason"])
    events.record(
        application,
        action=EventAction.PAYMENT_FAILED,
        actor=officer,
        from_state=application.state,
        reason=reason,
        data={"batch": batch.number},
    )
    tell_buyer(
        application,
        gettext_lazy("Payment of application %(number)s failed"),
        gettext_lazy(
            "The treasury could not pay: %(reason)s. Please check and correct your card or account details. %(subsidy)s"
        ),
        reason=reason,
        subsidy=subsidy_text(application),
        link=reverse("apply_payment:account", args=[application.pk]),
    )


def import_return(*, batch_id: int, officer, data: bytes, file_name: str, layout: str = "default") -> ReturnImport:
    """The treasury's return file: paid rows (voucher) pay; failed rows go back to the queue with the reason; rows
    that match no request, differ in amount, repeat a voucher or an application already paid are reconciliation
    exceptions, never applied. Importing the same file twice pays nothing twice (the batch is locked, and the
    database holds one payment per application and per voucher)."""
    rows = adapters.read_return(adapters.layout_named(layout), data, file_name)
    today = local_today()
    with transaction.atomic():
        batch = _locked_batch(batch_id, officer)
        if batch.state not in (BatchState.EXPORTED, BatchState.CLOSED):
            raise PaymentError(_("Export the batch to the treasury before importing its return file."), rule="R36")
        record = ReturnImport.objects.create(
            batch=batch, file_name=file_name[:200], sha256=hashlib.sha256(data).hexdigest(), by=officer
        )
        items = {
            item.application.number: item
            for item in batch.items.select_related("application").exclude(outcome=ItemOutcome.REMOVED)
        }
        seen_in_file: set[str] = set()
        for row in rows:
            outcome, application = _apply_row(row, items, batch=batch, officer=officer, seen=seen_in_file, on=today)
            if outcome == PAID:
                record.paid += 1
            elif outcome == FAILED:
                record.failed += 1
            else:
                ReconciliationException.objects.create(
                    return_import=record,
                    row=row.number,
                    kind=outcome,
                    application=application,
                    voucher=row.voucher,
                    data=row.raw,
                )
                record.exceptions += 1
        record.save(update_fields=["paid", "failed", "exceptions"])
        if not batch.items.filter(outcome=ItemOutcome.PENDING).exists():
            batch.state = BatchState.CLOSED
            batch.save(update_fields=["state"])
    return record


PAID, FAILED = "paid", "failed"  # what a return row did, when it is not a reconciliation exception


def _apply_row(row, items: dict, *, batch: PaymentBatch, officer, seen: set, on: date):
    """What one row of the return file does: pays (``PAID``), fails (``FAILED``) or is an exception of a kind
    (``ExceptionKind``), with the application it names when there is one."""
    item = items.get(row.application)
    if not row.status or (row.batch and row.batch != batch.number):
        return (ExceptionKind.UNREADABLE if not row.status else ExceptionKind.UNMATCHED), None
    if item is None:
        return ExceptionKind.UNMATCHED, None
    application = locked_application(item.application_id)
    item.application = application
    item.refresh_from_db(fields=["outcome"])
    if row.status == "failed":
        if item.outcome != ItemOutcome.PENDING:
            return ExceptionKind.ALREADY_PAID, application
        _fail(item, reason=row.reason or _("no reason given"), officer=officer, batch=batch)
        return FAILED, application
    if row.amount is None or row.amount != item.total:
        return ExceptionKind.AMOUNT_DIFFERS, application
    if not row.voucher or row.voucher in seen or Payment.objects.filter(voucher=row.voucher).exists():
        return ExceptionKind.VOUCHER_SEEN, application
    seen.add(row.voucher)
    if item.outcome != ItemOutcome.PENDING or application.state not in (
        State.PAYMENT_REQUESTED,
        State.PAYMENT_DEFERRED,
    ):
        return ExceptionKind.ALREADY_PAID, application
    try:
        _pay(item, voucher=row.voucher, officer=officer, batch=batch, on=on)
    except IntegrityError:
        return ExceptionKind.VOUCHER_SEEN, application
    return PAID, application


def resolve_exception(*, exception_id: int, officer, resolution: str) -> ReconciliationException:
    resolution = required_reason(resolution, "R45")
    with transaction.atomic():
        row = (
            ReconciliationException.objects.select_for_update(of=("self",))
            .select_related("return_import__batch")
            .filter(pk=exception_id)
            .first()
        )
        if row is None:
            raise Http404
        scope.ensure_pays_for(officer, row.return_import.batch.district_id)
        if row.resolved_at:
            raise PaymentError(_("This exception is already resolved."), rule="R45")
        row.resolved_at, row.resolved_by, row.resolution = timezone.now(), officer, resolution
        row.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    return row


def correct_account(*, application_id: int, buyer, payee_name: str, bank_name: str, account_number: str) -> Application:
    """R36: the treasury could not pay (e.g. a wrong card number); the buyer corrects the account, and the request
    is back in district finance's queue with the new details."""
    payee_name, bank_name = (payee_name or "").strip(), (bank_name or "").strip()
    account = account_digits(account_number)
    if not (payee_name and bank_name and account):
        raise PaymentError(_("Enter the account holder, the bank and the card or account number (digits)."), rule="R36")
    with transaction.atomic():
        application = locked_application(application_id)
        if application.buyer_id != buyer.pk:
            raise Http404
        last = BatchItem.objects.filter(application=application).order_by("-id").first()
        if application.state != State.PAYMENT_REQUESTED or last is None or last.outcome != ItemOutcome.FAILED:
            raise PaymentError(_("The account can be corrected only after the treasury could not pay."), rule="R36")
        application.payee_name, application.bank_name = payee_name, bank_name
        application.account_number = account
        application.save(update_fields=["payee_name", "bank_name", "account_encrypted", "account_index", "updated_at"])
        events.record(
            application,
            action=EventAction.ACCOUNT_CORRECTED,
            actor=buyer,
            from_state=application.state,
            data={"bank": bank_name, "account": application.account_masked},
        )
    return application
