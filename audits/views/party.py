from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import cases
from ..errors import AuditError
from ..forms import RemarkForm
from ..models import Case


@login_required
def case(request, pk):
    """The party reads the proposed decision and may answer within the period (R38)."""
    found = Case.objects.select_related("investigation__application__product__manufacturer").filter(pk=pk).first()
    if found is None or request.user not in cases.party_users(found.investigation, found.party):
        raise Http404
    form = RemarkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cases.record_answer(case_id=found.pk, user=request.user, text=form.cleaned_data["text"])
        except AuditError as exc:
            form.add_error("text", exc.message)
        else:
            messages.success(request, _("Your answer is added to the case."))
            return redirect("audits_party:case", pk=found.pk)
    return render(request, "audits/party_case.html", {"case": found, "form": form})
