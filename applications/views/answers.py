"""The buyer's answer (申辩) to an objection raised during the public notice (R34): on the progress page the open
objections with what was said, and a page to answer one with a statement and documents. Another buyer's
application, and so its objections, are not found (404)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.scope import Workspace

from .. import selectors, services
from ..forms import ObjectionAnswerForm
from .buyer import buyer_page


@buyer_page
def answer(request, pk: int, objection_pk: int):
    application = selectors.application_for(user=request.user, pk=pk)
    objection = next((o for o in selectors.open_objections(application) if o.pk == objection_pk), None)
    if objection is None:
        raise Http404
    form = ObjectionAnswerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_objection(
                objection_id=objection.pk,
                buyer=request.user,
                text=form.cleaned_data["text"],
                uploads=form.cleaned_data["documents"],
            )
        except services.ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your answer has been sent to the district. They read it before deciding."))
            return redirect("apply:application", pk=application.pk)
    return render(
        request,
        "applications/buyer/answer.html",
        {"workspace": Workspace.APPLY, "application": application, "objection": objection, "form": form},
    )
