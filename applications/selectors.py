"""Reads, scoped to the user (accounts.scope): a district sees its own applications, a buyer only theirs."""

import re
from datetime import date, timedelta

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from accounts import scope
from accounts.models import User
from catalog.money import yuan
from catalog.sale_services import sales_of_buyer
from catalog.selectors import amounts_by_grade
from workdays.calendar import add_working_days

from .models import Application, Deadline, Document, EventAction, ObjectionStatus, ReturnReason, Step, Warning
from .workflow import OPEN_FOR_OFFICE, State


def applications_for(user) -> QuerySet[Application]:
    """A buyer's own applications; an official's district's (the city's: all), drafts excepted: a draft is the
    buyer's alone until it is submitted."""
    applications = scope.scoped(user, Application.objects.all(), district="district", owner="buyer")
    if user.is_authenticated and user.is_official:
        applications = applications.exclude(state=State.DRAFT)
    return applications


def application_for(*, user, pk: int) -> Application:
    return scope.get_or_404(
        applications_for(user).select_related(
            "buyer", "district", "town", "product__manufacturer", "product__item", "product__grade"
        ),
        pk=pk,
    )


def document_for(*, user, pk: int) -> Document:
    """A document the user may see: the buyer's own, or one of an application in the official's scope."""
    return scope.get_or_404(
        Document.objects.filter(application__in=applications_for(user), removed_at__isnull=True), pk=pk
    )


def documents_of(application: Application) -> QuerySet[Document]:
    return application.documents.filter(removed_at__isnull=True)


def timeline(*, application: Application) -> dict:
    """The history for the timeline: events oldest first, and the open deadlines (the next steps)."""
    return {
        "events": list(application.events.select_related("actor").order_by("at", "id")),
        "open_deadlines": list(application.deadlines.filter(met_at__isnull=True).order_by("due_on")),
        "deadlines": list(application.deadlines.order_by("started_on", "id")),
    }


def expected_subsidy(*, application: Application, on: date | None = None) -> dict | None:
    """What the buyer can expect: the amounts stored at submission, or, before it, those in force today."""
    if application.total_amount is not None:
        return {
            "central": application.central_amount,
            "municipal": application.municipal_amount,
            "district": application.district_amount,
            "total": application.total_amount,
        }
    if application.product is None:
        return None
    amounts = amounts_by_grade(on=on or timezone.localdate(), grade_ids=[application.product.grade_id]).get(
        application.product.grade_id, {}
    )
    values = {
        fund: yuan(amounts[fund].amount) if fund in amounts else yuan(0)
        for fund in ("central", "municipal", "district")
    }
    values["total"] = sum(values.values(), yuan(0))
    return values


def with_open_warnings(apps: QuerySet[Application]) -> QuerySet[Application]:
    """``open_warnings`` on each row: a subquery computed for the rows read only (a page, a batch), never sorted on."""
    return apps.annotate(
        open_warnings=Coalesce(
            Subquery(
                Warning.objects.filter(application=OuterRef("pk"), cleared_at__isnull=True)
                .values("application")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            0,
        )
    )


#: An application number as it is made at submission (``2026-110108-0000123``): looked up by its unique index.
NUMBER = re.compile(r"\d{4}-\d{6}-\d{7,}")
#: Past this many buyers of a name, the search reads the queue in order instead of their applications by buyer.
NAMED_BUYERS = 500


def _search(apps: QuerySet[Application], q: str) -> QuerySet[Application]:
    """The queue's search box: a whole application number by its unique index; otherwise a part of the number, the
    factory serial number, or a part of the buyer's name (each by its index: trigram, b-tree, trigram)."""
    q = q.strip()
    if NUMBER.fullmatch(q):
        return apps.filter(number=q)
    buyers = list(
        User.objects.filter(display_name__icontains=q).order_by().values_list("pk", flat=True)[: NAMED_BUYERS + 1]
    )
    named = Q(buyer__display_name__icontains=q) if len(buyers) > NAMED_BUYERS else Q(buyer_id__in=buyers)
    return apps.filter(Q(number__icontains=q) | Q(serial_key=q.replace(" ", "").upper()) | named)


#: ``office_queue(state=ALL_STATES)`` searches every state, not only the open work.
ALL_STATES = "all"


def office_queue(
    *,
    user,
    state: str | None = None,
    item: int | None = None,
    due: str | None = None,
    q: str | None = None,
    warnings: bool | None = None,
    district: int | None = None,
    town: int | None = None,
) -> QuerySet[Application]:
    """The office's queue: its district's applications (the municipality: all), next due date first: the order of
    the ``queue_open`` indexes on the stored ``next_due`` (``deadlines`` keeps it), so a page is an index range."""
    today = timezone.localdate()
    apps = applications_for(user).select_related(
        "buyer", "district", "town", "product__manufacturer", "product__item", "product__grade"
    )
    if state != ALL_STATES:
        apps = apps.filter(state=state) if state else apps.filter(state__in=OPEN_FOR_OFFICE)
    if item:
        apps = apps.filter(product__item_id=item)
    if district:
        apps = apps.filter(district_id=district)
    if town:
        apps = apps.filter(town_id=town)
    if due == "overdue":
        apps = apps.filter(next_due__lt=today)
    elif due == "soon":
        apps = apps.filter(next_due__gte=today, next_due__lte=add_working_days(today, 1))
    if warnings:
        apps = apps.filter(Exists(Warning.objects.filter(application=OuterRef("pk"), cleared_at__isnull=True)))
    if q:
        apps = _search(apps, q)
    return apps.order_by(F("next_due").asc(nulls_last=True), "submitted_at", "pk")


def proposed_verification(*, application: Application) -> tuple[str, str]:
    """The method proposed at acceptance (R32) and why, as recorded on the acceptance event."""
    if not application.verification_method:
        return "", ""
    event = application.events.filter(action=EventAction.ACCEPT).order_by("-id").first()
    why = event.data.get("why", "") if event else ""
    return application.verification_method, gettext(why) if why else ""


def _public_notice_rows(apps: QuerySet[Application], *, town=None, item=None, search: str = "") -> QuerySet:
    """What a public notice lists of each application (R34), filtered as the visitor asked."""
    apps = apps.select_related(
        "buyer", "district", "town", "product__item", "product__grade", "product__manufacturer"
    ).order_by("district__sort_order", "notice_start", "pk")
    if town:
        apps = apps.filter(town=town)
    if item:
        apps = apps.filter(product__item=item)
    if search:
        apps = apps.filter(
            Q(number__iexact=search)
            | Q(product__model__icontains=search)
            | Q(product__manufacturer__name__icontains=search)
        )
    return apps


def public_notices(*, district: int | None = None, town=None, item=None, search: str = "") -> QuerySet[Application]:
    """Applications in public notice (R34), with the notice's start and end; personal data is masked in the page.
    The open notice clock is joined (one per application), not looked up row by row."""
    running = Q(deadlines__step=Step.NOTICE, deadlines__met_at__isnull=True)
    apps = (
        Application.objects.filter(state=State.IN_NOTICE)
        .annotate(notice=FilteredRelation("deadlines", condition=running))
        .annotate(notice_start=F("notice__started_on"), notice_end=F("notice__due_on"))
    )
    if district:
        apps = apps.filter(district_id=district)
    return _public_notice_rows(apps, town=town, item=item, search=search)


def past_notices(
    *, month: date, district: int | None = None, town=None, item=None, search: str = ""
) -> QuerySet[Application]:
    """The archive (R34): applications whose 5-working-day notice ended in ``month``, as they were published."""
    first = month.replace(day=1)
    after = (first + timedelta(days=32)).replace(day=1)
    ended = Deadline.objects.filter(
        application=OuterRef("pk"), step=Step.NOTICE, met_at__isnull=False, due_on__gte=first, due_on__lt=after
    ).order_by("-due_on")
    apps = Application.objects.annotate(
        notice_start=Subquery(ended.values("started_on")[:1]), notice_end=Subquery(ended.values("due_on")[:1])
    ).filter(notice_end__isnull=False)
    if district:
        apps = apps.filter(district_id=district)
    return _public_notice_rows(apps, town=town, item=item, search=search)


def notice_months(*, today: date, count: int = 12) -> list[date]:
    """The months the archive offers, newest first: this one and the ``count - 1`` before it."""
    months, day = [], today.replace(day=1)
    for _ in range(count):
        months.append(day)
        day = (day - timedelta(days=1)).replace(day=1)
    return months


def notice_for_public(*, pk: int) -> Application:
    application = public_notices().filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


def at_risk(*, user, within: int = 3) -> QuerySet[Application]:
    """R35: applications whose 23-working-day clock (verification, notice, hand-over) is due within ``within``
    working days or already past: one read of the open clocks' index (``deadline_open``: step, due date), joined to
    the applications in the user's scope (an application has one open 23-day clock at most)."""
    limit = add_working_days(timezone.localdate(), within)
    return (
        applications_for(user)
        .filter(deadlines__step=Step.OVERALL, deadlines__met_at__isnull=True, deadlines__due_on__lte=limit)
        .annotate(overall_due=F("deadlines__due_on"))
        .select_related("buyer", "district", "product__item", "product__grade")
        .order_by("overall_due", "pk")
    )


def sales_to_start_from(user):
    """The sales recorded for this buyer that no live application of theirs started from yet (a withdrawn one
    frees its sale), newest first: 'a sale recorded for you' on /apply/."""
    started = Application.objects.filter(sale=OuterRef("pk"), buyer=user).exclude(state=State.WITHDRAWN)
    return sales_of_buyer(user).exclude(Exists(started))


def open_objections(application: Application) -> list:
    """The objections to the buyer's application still being investigated, each with the answers already sent
    (two queries): what the buyer may answer (R34). Call it with an application found for its buyer."""
    if application.state != State.UNDER_INVESTIGATION:
        return []
    return list(
        application.objections.filter(status=ObjectionStatus.OPEN).prefetch_related("answers").order_by("received_at")
    )


def return_reasons(district_id: int) -> list:
    """The reasons offered when the district returns an application (R30): its own and those for every district."""
    return list(
        ReturnReason.objects.filter(Q(district_id=district_id) | Q(district__isnull=True), active=True).order_by(
            "position", "id"
        )
    )
