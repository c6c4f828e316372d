"""Telling the municipal bureaus and the district that a report is ready (inbox and e-mail)."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import CITY_ROLES, DISTRICT_ROLES, Role, User
from notifications.models import Channel
from notifications.services import language_for, notify

from .models import MonthlyReport

WORKSPACE_OF = {
    Role.DISTRICT_AGRICULTURE: "office",
    Role.CITY_AGRICULTURE: "office",
    Role.DISTRICT_FINANCE: "finance",
    Role.CITY_FINANCE: "finance",
}


def recipients(report: MonthlyReport):
    """The municipal bureaus always; the district's officials for their district's report."""
    users = User.objects.filter(is_active=True, role__in=CITY_ROLES)
    if report.district_id:
        users = users | User.objects.filter(is_active=True, role__in=DISTRICT_ROLES, district_id=report.district_id)
    return users.order_by("pk")


def report_ready(*, report_id: int) -> int:
    from .documents import title_of

    report = MonthlyReport.objects.select_related("district").get(pk=report_id)
    sent = 0
    for user in recipients(report):
        with translation.override(language_for(user)):
            link = reverse(f"reports:{WORKSPACE_OF[user.role]}_report", args=[report.pk])
            subject = _("Report ready: %(title)s") % {"title": title_of(report)}
            if report.version > 1:
                subject = _("Corrected report ready: %(title)s, version %(v)s") % {
                    "title": title_of(report), "v": report.version,
                }  # fmt: skip
            body = _("The report and its figures can be downloaded as PDF and XLSX.")
            notify(user=user, subject=subject, body=body, link=link, channels=(Channel.EMAIL,))
        sent += 1
    return sent
