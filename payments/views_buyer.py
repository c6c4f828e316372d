"""The buyer corrects the card or account after the treasury could not pay (R36)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scope import Workspace, ensure_may_enter
from applications.selectors import application_for
from core.errors import DomainError
from core.names import NameField, check_payee

from . import services
from .models import BatchItem


class AccountForm(forms.Form):
    payee_name = NameField(label=gettext_lazy("Account holder"), max_length=100)
    bank_name = NameField(label=gettext_lazy("Bank"), max_length=100)
    account_number = forms.CharField(label=gettext_lazy("Card or account number"), max_length=40)

    def __init__(self, *args, buyer, **kwargs):
        super().__init__(*args, **kwargs)
        self.buyer = buyer

    def clean_payee_name(self):
        check_payee(self.cleaned_data["payee_name"], self.buyer)  # R36 直补到卡(户)
        return self.cleaned_data["payee_name"]


@login_required
def correct_account(request, pk):
    ensure_may_enter(request.user, Workspace.APPLY)
    application = application_for(user=request.user, pk=pk)  # another buyer's: 404
    failed = BatchItem.objects.filter(application=application).order_by("-id").first()
    form = AccountForm(
        request.POST or None,
        buyer=request.user,
        initial={"payee_name": application.payee_name, "bank_name": application.bank_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_account(application_id=application.pk, buyer=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your account details are corrected; district finance pays again."))
            return redirect("apply:application", pk=application.pk)
    return render(
        request,
        "payments/buyer_account.html",
        {"application": application, "form": form, "failed": failed, "workspace": Workspace.APPLY},
    )
