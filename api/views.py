"""The profile page's API tokens: an official creates one (shown once), and revokes it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import tokens
from .forms import TokenForm


@login_required
@require_POST
def token_new(request):
    if not request.user.is_official:
        raise PermissionDenied(_("Only officials use the API with a personal token."))
    form = TokenForm(request.POST)
    if not form.is_valid():
        return render(request, "api/token_new.html", {"form": form, "workspace": "profile"}, status=400)
    token, secret = tokens.create_personal_token(
        user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
    )
    response = render(request, "api/token_created.html", {"token": token, "secret": secret, "workspace": "profile"})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = tokens.revoke_token(token_id=pk, user=request.user)
    messages.success(request, _("Token %(name)s revoked; it no longer opens the API.") % {"name": token.name})
    return redirect("accounts:profile")
