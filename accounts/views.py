from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST

from core.clientip import client_ip

from . import mobile_check, scope, selectors, services
from .crypto import mask_phone
from .forms import MobileCodeForm, PasswordResetRequestForm, ProfileForm, RegistrationForm, SignInForm
from .models import District, Role
from .scope import Workspace

PURPOSE_MAX_LENGTH = 200  # PersonalDataAccess.purpose


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        """A language chosen on this device is kept for the user's messages; on a device where none was chosen,
        the pages come back in the one the user chose before."""
        response = super().form_valid(form)
        user = form.get_user()
        chosen = self.request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if chosen in dict(settings.LANGUAGES):
            services.remember_language(user, chosen)
        elif user.language:
            _language_cookie(response, user.language)
        return response


def _language_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def set_language(request):
    """Django's language switch; a signed-in user's choice is also kept for their messages."""
    response = i18n.set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        services.remember_language(request.user, request.POST.get("language", ""))
    return response


class LogoutView(auth_views.LogoutView):
    pass


def register(request):
    """The form first; the account is made once the mobile number is confirmed by the code it receives (R3)."""
    if request.user.is_authenticated:
        return redirect("core:home")
    form = RegistrationForm(request.POST or None, initial=mobile_check.pending_answers(request.session))
    if request.method == "POST" and form.is_valid():
        mobile_check.start(request.session, cleaned=form.cleaned_data)
        return redirect("accounts:register_confirm")
    return render(request, "accounts/register.html", {"form": form})


def register_confirm(request):
    """Enter the code sent to the mobile number, or have a new one sent; then the account is made and signed in."""
    mobile = mobile_check.pending_mobile(request.session)
    if request.user.is_authenticated or not mobile:
        return redirect("core:home" if request.user.is_authenticated else "accounts:register")
    form = MobileCodeForm(request.POST if "code" in request.POST else None)
    if request.method == "POST" and "resend" in request.POST:
        outcome = mobile_check.resend(request.session)
        if outcome.ok:
            messages.success(request, _("A new code has been sent."))
        else:
            messages.error(request, outcome.message)
        return redirect("accounts:register_confirm")
    if request.method == "POST" and form.is_valid():
        outcome = mobile_check.confirm(request.session, form.cleaned_data["code"])
        if outcome.ok:
            data = outcome.data
            user = services.register_buyer(
                buyer_kind=data["buyer_kind"],
                display_name=data["display_name"],
                district=District.objects.get(pk=data["district"]),
                mobile=data["mobile"],
                password_hash=data["password_hash"],
                id_number=data["id_number"],
                credit_code=data["credit_code"],
                email=data["email"],
                language=request.LANGUAGE_CODE,
            )
            auth_login(request, user, backend="accounts.backends.UsernameOrMobileBackend")
            messages.success(request, _("Your account is ready. You can sign in with your mobile number."))
            return redirect("apply:home")
        form.add_error("code", outcome.message)
    return render(
        request,
        "accounts/register_confirm.html",
        {"form": form, "mobile": mask_phone(mobile), "minutes": mobile_check.CODE_MINUTES},
    )


def password_reset(request):
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        login = form.cleaned_data["login"]
        try:
            services.throttle_password_reset(login=login, address=client_ip(request))
        except services.ResetThrottled:
            form.add_error(
                None,
                _(
                    "Too many password-reset requests for this account or from this network. "
                    "Please try again in an hour."
                ),
            )
        else:
            services.request_password_reset(login=login, base_url=request.build_absolute_uri("/")[:-1])
            return redirect("accounts:password_reset_sent")
    return render(request, "accounts/password_reset.html", {"form": form})


def password_reset_sent(request):
    return render(request, "accounts/password_reset_sent.html")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, initial={"email": request.user.email})
    if request.method == "POST" and form.is_valid():
        request.user.email = form.cleaned_data["email"]
        request.user.save(update_fields=["email"])
        messages.success(request, _("Saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form, "workspace": Workspace.PROFILE})


BUYER_QUERY = "buyer_query"


@login_required
def buyer_list(request):
    """The search is posted and kept in the session (then redirected), so an ID or mobile number typed never
    reaches a URL, a browser history or an access log."""
    scope.ensure_may_enter(request.user, scope.Workspace.OFFICE)
    if request.method == "POST":
        request.session[BUYER_QUERY] = request.POST.get("q", "").strip()[:100]
        return redirect("accounts:buyers")
    query = request.session.get(BUYER_QUERY, "")
    page = Paginator(selectors.buyer_list(user=request.user, query=query), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/buyer_list.html", {"page": page, "q": query, "workspace": Workspace.OFFICE})


def _may_record_scale(user) -> bool:
    """The agriculture offices record a buyer's scale of production (the oversight app's page)."""
    return user.role in (Role.DISTRICT_AGRICULTURE, Role.CITY_AGRICULTURE)


@login_required
def buyer_detail(request, pk: int):
    buyer = selectors.buyer_for(user=request.user, pk=pk)
    return render(
        request,
        "accounts/buyer_detail.html",
        {
            "buyer": buyer,
            "may_reveal": scope.may_see_full_personal_data(request.user, buyer),
            "revealed": None,
            "may_record_scale": _may_record_scale(request.user),
            "workspace": Workspace.OFFICE,
        },
    )


@login_required
@require_POST
def buyer_reveal(request, pk: int):
    buyer = selectors.buyer_for(user=request.user, pk=pk)
    purpose = request.POST.get("purpose", "").strip()
    decision = scope.may_see_full_personal_data(request.user, buyer)
    if not decision:
        raise PermissionDenied(decision.reason)
    if not purpose or len(purpose) > PURPOSE_MAX_LENGTH:
        messages.error(request, _("Say in at most 200 characters why you need the full numbers; the view is recorded."))
        return redirect(reverse("accounts:buyer_detail", args=[buyer.pk]))
    revealed = services.reveal_personal_data(viewer=request.user, subject=buyer, purpose=purpose)
    return render(
        request,
        "accounts/buyer_detail.html",
        {
            "buyer": buyer,
            "may_reveal": decision,
            "revealed": revealed,
            "workspace": Workspace.OFFICE,
            "may_record_scale": _may_record_scale(request.user),
        },  # fmt: skip
    )
