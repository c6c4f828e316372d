from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import scope
from accounts.scope import Workspace, ensure_may_enter

from ..errors import AuditError
from ..forms import ScaleForm
from ..models import BuyerScale
from ..scale import FIELDS, record_scale


@login_required
def scale(request, pk: int):
    """The office records a buyer's declared scale of production (sign 6), with where the figures come from."""
    ensure_may_enter(request.user, Workspace.OFFICE)
    buyer = scope.get_or_404(scope.buyers_for(request.user), pk=pk)
    current = BuyerScale.objects.filter(buyer=buyer).first()
    initial = {f: getattr(current, f) for f in FIELDS} if current else {}
    form = ScaleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record_scale(buyer_id=buyer.pk, officer=request.user, **form.cleaned_data)
        except AuditError as exc:
            form.add_error("reason", exc.message)
        else:
            messages.success(request, _("The scale of production is recorded."))
            return redirect(reverse("accounts:buyer_detail", args=[buyer.pk]))
    return render(
        request,
        "audits/scale.html",
        {"buyer": buyer, "form": form, "current": current, "workspace": Workspace.OFFICE},
    )
