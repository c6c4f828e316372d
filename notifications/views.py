from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services

PAGE_SIZE = 25


@login_required
def inbox(request):
    """Every user's messages, newest first; unread ones stand out."""
    page = Paginator(selectors.inbox(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
def detail(request, pk: int):
    """One message; opening it marks it read."""
    notification = services.mark_read(user=request.user, notification_id=pk)
    return render(request, "notifications/detail.html", {"notification": notification})


@login_required
@require_POST
def mark_all_read(request):
    if services.mark_all_read(user=request.user):
        messages.success(request, _("All messages are marked as read."))
    return redirect("notifications:inbox")
