"""The public notice (公示, R34) at /public/notices/: the applications in notice by district, with the buyer's
name masked (张*; organisations by name; never an ID, phone or account number), and an objection form for
anyone, signed in or not."""

from axes.helpers import get_client_ip_address
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.crypto import blind_index
from accounts.scope import Workspace
from core.paging import list_page

from .. import selectors, services
from ..notice_tables import notice_workbook
from ..office_forms import ObjectionForm
from ..public_forms import ArchiveFilterForm, NoticeFilterForm

PAGE_SIZE = 100
MAX_DOWNLOAD_ROWS = 20000  # a district's notices of a month fit many times over
SESSION_KEY = "objection_reference"


def objection_reference(objection) -> str:
    """The reference the objector keeps: the year received and the objection's number."""
    return f"YY{objection.received_at:%Y}-{objection.pk:06d}"


def _listing(request, form, notices, template: str, **extra):
    """One page of notices by keyset, with the filters kept in the address (the page links keep them too)."""
    listing = list_page(request, notices, per_page=PAGE_SIZE)
    kept = request.GET.copy()
    kept.pop("page", None)
    kept.pop("cursor", None)
    return render(
        request,
        f"applications/public/{template}",
        {
            "workspace": Workspace.PUBLIC,
            "form": form,
            "chosen": form.cleaned_data.get("district"),
            "listing": listing,
            "query": kept.urlencode(),
            **extra,
        },
    )


def notice_list(request):
    form = NoticeFilterForm(request.GET)
    notices = selectors.public_notices(**form.filters())
    return _listing(request, form, notices, "notices.html")


def notice_archive(request):
    """Notices that ended, by month (R34): still readable after their 5 working days."""
    form = ArchiveFilterForm(request.GET)
    month = form.chosen_month()
    notices = selectors.past_notices(month=month, **form.filters())
    return _listing(request, form, notices, "archive.html", month=month)


def notice_download(request):
    """The notices shown (running, or of an archive month when ``month`` is given) as XLSX, with the same filters."""
    if "month" in request.GET:
        form = ArchiveFilterForm(request.GET)
        notices, name = selectors.past_notices(month=form.chosen_month(), **form.filters()), "notices-ended"
    else:
        form = NoticeFilterForm(request.GET)
        notices, name = selectors.public_notices(**form.filters()), "notices"
    response = HttpResponse(
        notice_workbook(notices[:MAX_DOWNLOAD_ROWS]),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
def objection(request, pk: int):
    """Object to an application in notice: the text is required, a name and contact are optional."""
    application = selectors.notice_for_public(pk=pk)
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            received = services.object_to_notice(
                application_id=application.pk,
                text=form.cleaned_data["text"],
                name=form.cleaned_data["name"],
                contact=form.cleaned_data["contact"],
                sender_key=blind_index(get_client_ip_address(request) or ""),
            )
        except services.ObjectionLimitError as error:
            form.add_error(None, error.message)
        except services.ApplicationError as error:
            form.add_error("text", error.message)
        else:
            request.session[SESSION_KEY] = {
                "reference": objection_reference(received),
                "number": application.number,
                "district": application.district.display_name,
            }
            return redirect("notices:received")
    return render(
        request,
        "applications/public/objection.html",
        {"workspace": Workspace.PUBLIC, "app": application, "form": form},
    )


def objection_received(request):
    """The thank-you page with the objection's reference (kept in the objector's session, not in the URL)."""
    received = request.session.get(SESSION_KEY)
    if not received:
        return redirect("notices:list")
    return render(request, "applications/public/received.html", {"workspace": Workspace.PUBLIC, "received": received})
