"""The buyer's page of a sale a dealer recorded for them (``/apply/sales/<pk>/``, also what the sale's QR code
opens): what was sold, and the button that starts the application from it. A sale to anyone else is not found
(404): the page shows nothing of it."""

from django.contrib import messages
from django.shortcuts import redirect, render

from accounts.scope import Workspace
from catalog.sale_services import sale_for_buyer

from .. import services
from ..models import Application
from ..workflow import State
from .buyer import buyer_page


@buyer_page
def sale(request, pk: int):
    found = sale_for_buyer(request.user, pk=pk)
    if request.method == "POST":
        try:
            application = services.start_application_from_sale(buyer=request.user, sale_id=found.pk)
        except services.ApplicationError as error:
            messages.error(request, error.message)
        else:
            return redirect("apply:tasks" if application.state == State.DRAFT else "apply:application", application.pk)
    started = Application.objects.filter(sale=found, buyer=request.user).exclude(state=State.WITHDRAWN).first()
    return render(
        request, "applications/buyer/sale.html", {"workspace": Workspace.APPLY, "sale": found, "started": started}
    )
