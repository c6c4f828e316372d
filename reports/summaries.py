"""The annual implementation summary (R44): drafted from the year's figures, the district's own text, submitted
before 1 December; reminders from 1 November; overdue from 1 December; the municipality may return one."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import District, Role, User

from . import figures as fig
from .errors import ReportError
from .models import AnnualSummary, SummaryEvent, SummaryReminder, SummaryState
from .periods import Month

REMINDER_DAYS = [(11, 1), (11, 15), (11, 25)]  # the rounds of reminders, from 1 November


def due_date(year: int) -> datetime.date:
    """Submitted before 1 December: 30 November is the last day."""
    return datetime.date(year, 11, 30)


def is_overdue(summary_state: str | None, year: int, today: datetime.date) -> bool:
    return today > due_date(year) and summary_state != SummaryState.SUBMITTED


def _record(summary: AnnualSummary, action: str, actor=None, reason: str = "") -> SummaryEvent:
    last = SummaryEvent.objects.filter(summary=summary).order_by("-id").first()
    event = SummaryEvent(
        summary=summary, action=action, actor=actor, reason=reason, prev_hash=last.hash if last else ""
    )
    event.hash = event.content_hash()
    event.save()
    return event


def _figures_month(year: int, today: datetime.date) -> Month:
    return Month(year, 12) if today.year > year else Month(year, max(today.month - 1, 1))


def _ensure_district_officer(user, district) -> None:
    if user.role != Role.DISTRICT_AGRICULTURE or user.district_id != district.pk:
        raise ReportError(_("Only the district's agriculture office writes its summary."), rule="R44")


def draft(*, district: District, year: int) -> AnnualSummary:
    """An unsaved summary drafted from the year's figures as they stand (to show before the district saves)."""
    month = _figures_month(year, timezone.localdate())
    return AnnualSummary(district=district, year=year, figures=fig.compute(month=month, district=district),
                         figures_on=month.last)  # fmt: skip


def summary_for(*, district: District, year: int) -> AnnualSummary:
    """The district's summary of ``year``, drafted and saved now if it does not exist."""
    summary = AnnualSummary.objects.filter(district=district, year=year).first()
    if summary is not None:
        return summary
    summary = draft(district=district, year=year)
    try:
        with transaction.atomic():
            summary.save()
    except IntegrityError:
        return AnnualSummary.objects.get(district=district, year=year)
    return summary


def save_text(*, district: District, year: int, by, implementation: str, pilots: str, problems: str) -> AnnualSummary:
    """The district's own sections, saved with the figures drafted again as they stand now."""
    _ensure_district_officer(by, district)
    summary_for(district=district, year=year)
    with transaction.atomic():
        summary = AnnualSummary.objects.select_for_update().select_related("district").get(district=district, year=year)
        if summary.state == SummaryState.SUBMITTED:
            raise ReportError(_("The summary is submitted; the municipality may return it for amendment."), rule="R44")
        month = _figures_month(summary.year, timezone.localdate())
        summary.figures, summary.figures_on = fig.compute(month=month, district=summary.district), month.last
        summary.implementation, summary.pilots, summary.problems = implementation, pilots, problems
        summary.save()
        _record(summary, "save", by)
    return summary


def submit(*, summary_id: int, by) -> AnnualSummary:
    with transaction.atomic():
        summary = AnnualSummary.objects.select_for_update().select_related("district").get(pk=summary_id)
        _ensure_district_officer(by, summary.district)
        if summary.state == SummaryState.SUBMITTED:
            return summary
        if not summary.implementation.strip():
            raise ReportError(_("Write how the year went before submitting."), rule="R44")
        summary.state, summary.submitted_at, summary.submitted_by = SummaryState.SUBMITTED, timezone.now(), by
        summary.return_reason = ""
        summary.save()
        _record(summary, "submit", by)
    transaction.on_commit(lambda: _tell_city(summary))
    return summary


def return_for_amendment(*, summary_id: int, by, reason: str) -> AnnualSummary:
    reason = (reason or "").strip()
    if by.role not in (Role.CITY_AGRICULTURE, Role.CITY_FINANCE):
        raise ReportError(_("Only the municipal bureaus return a summary."), rule="R44")
    if not reason:
        raise ReportError(_("Say what to amend."), rule="R45")
    with transaction.atomic():
        summary = AnnualSummary.objects.select_for_update().select_related("district").get(pk=summary_id)
        if summary.state != SummaryState.SUBMITTED:
            raise ReportError(_("Only a submitted summary can be returned."), rule="R44")
        summary.state, summary.return_reason = SummaryState.RETURNED, reason
        summary.save()
        _record(summary, "return", by, reason)
    transaction.on_commit(lambda: _tell_district(summary, reason))
    return summary


def statuses(*, year: int, today: datetime.date | None = None) -> list[dict]:
    """The 13 districts' summaries of ``year``: state, submitted when, overdue or not (one query each kind)."""
    today = today or timezone.localdate()
    found = {s.district_id: s for s in AnnualSummary.objects.filter(year=year).defer("figures")}
    out = []
    for district in District.objects.filter(active=True):
        summary = found.get(district.pk)
        state = summary.state if summary else None
        out.append({"district": district, "summary": summary, "state": state,
                    "overdue": is_overdue(state, year, today)})  # fmt: skip
    return out


def remind(*, today: datetime.date | None = None) -> int:
    """From 1 November, remind each district that has not submitted this year's summary, once per round."""
    from notifications.services import language_for, notify

    today = today or timezone.localdate()
    rounds = [i for i, (m, d) in enumerate(REMINDER_DAYS, start=1) if today >= datetime.date(today.year, m, d)]
    if not rounds or today > due_date(today.year):
        return 0
    submitted = AnnualSummary.objects.filter(year=today.year, state=SummaryState.SUBMITTED).values("district_id")
    sent = 0
    for district in District.objects.filter(active=True).exclude(pk__in=submitted):
        try:
            with transaction.atomic():
                SummaryReminder.objects.create(district=district, year=today.year, round=rounds[-1])
        except IntegrityError:
            continue
        for user in User.objects.filter(role=Role.DISTRICT_AGRICULTURE, district=district, is_active=True):
            with translation.override(language_for(user)):
                body = _("Please complete and submit the summary of %(year)s, including the pilots.") % {
                    "year": today.year
                }
                subject = _("The annual implementation summary is due by 30 November")
                notify(user=user, subject=subject, body=body, link="/office/summaries/", channels=("email",))
        sent += 1
    return sent


def _tell_city(summary: AnnualSummary) -> None:
    from notifications.services import notify

    for user in User.objects.filter(role=Role.CITY_AGRICULTURE, is_active=True):
        notify(user=user, subject=_("%(district)s submitted its %(year)s summary") % {
            "district": summary.district.name, "year": summary.year}, body="", link="/office/summaries/",
            channels=("email",))  # fmt: skip


def _tell_district(summary: AnnualSummary, reason: str) -> None:
    from notifications.services import notify

    for user in User.objects.filter(role=Role.DISTRICT_AGRICULTURE, district=summary.district, is_active=True):
        notify(user=user, subject=_("Your %(year)s summary was returned for amendment") % {"year": summary.year},
               body=reason, link="/office/summaries/", channels=("email",))  # fmt: skip
