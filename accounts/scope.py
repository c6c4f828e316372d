"""The one place that answers "may this user see or do this?".

Every view reads through a selector that starts here, so a forgotten filter cannot leak another district's
data or another buyer's. Object look-ups that the user may not see raise ``Http404``, never 403: a stranger
cannot even learn that the object exists. 403 is kept for an object the user may see but not act on.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import CITY_ROLES, District, Role, User


class Workspace:
    """The areas of the site (the frame's navigation); ``PUBLIC`` and ``PROFILE`` need no role."""

    PUBLIC = "public"
    PROFILE = "profile"
    APPLY = "apply"
    OFFICE = "office"
    FINANCE = "finance"
    AUDIT = "audit"
    FILING = "filing"


# Who works in which workspace. The municipal agriculture bureau oversees the office, audit and filing work.
WORKSPACE_ROLES: dict[str, set[str]] = {
    Workspace.APPLY: {Role.BUYER},
    Workspace.OFFICE: {Role.DISTRICT_AGRICULTURE, Role.CITY_AGRICULTURE},
    Workspace.FINANCE: {Role.DISTRICT_FINANCE, Role.CITY_FINANCE},
    Workspace.AUDIT: {Role.AUDITOR, Role.CITY_AGRICULTURE},
    Workspace.FILING: {Role.MANUFACTURER, Role.CITY_AGRICULTURE},
}

HOME_WORKSPACE = {
    Role.BUYER: Workspace.APPLY,
    Role.DISTRICT_AGRICULTURE: Workspace.OFFICE,
    Role.CITY_AGRICULTURE: Workspace.OFFICE,
    Role.DISTRICT_FINANCE: Workspace.FINANCE,
    Role.CITY_FINANCE: Workspace.FINANCE,
    Role.AUDITOR: Workspace.AUDIT,
    Role.MANUFACTURER: Workspace.FILING,
}


# A workspace whose pages live in their own app names its home page here; the others use core's frame.
WORKSPACE_HOMES = {Workspace.APPLY: "apply:home"}


@dataclass(frozen=True)
class Decision:
    """The answer to "may I?", with the reason when it is no, so a page can say why a button is missing."""

    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


def workspaces_for(user) -> list[str]:
    if not user.is_authenticated:
        return []
    return [ws for ws, roles in WORKSPACE_ROLES.items() if user.role in roles]


def may_enter(user, workspace: str) -> Decision:
    if not user.is_authenticated:
        return Decision(False, _("Please sign in."))
    if user.role in WORKSPACE_ROLES[workspace]:
        return Decision(True)
    return Decision(False, _("Your role does not work in this area."))


def ensure_may_enter(user, workspace: str) -> None:
    decision = may_enter(user, workspace)
    if not decision:
        raise PermissionDenied(decision.reason)


def may_administer_users(user) -> bool:
    """Creating officials and setting their roles and districts is the user administrator's alone: a role that
    acts on no application and no money, so no one can make themselves a second finance officer (R36)."""
    return bool(user.is_authenticated and user.is_active and user.is_staff and user.role == Role.USER_ADMIN)


def home_url(user) -> str:
    if not user.is_authenticated:
        return reverse("core:public")
    if user.role == Role.USER_ADMIN:
        return reverse("admin:index")
    workspace = HOME_WORKSPACE.get(user.role)
    if workspace is None:
        return reverse("core:public")
    return reverse(WORKSPACE_HOMES.get(workspace, f"core:{workspace}"))


def sees_all_districts(user) -> bool:
    """Municipal bureaus and auditors work across every district."""
    return user.is_authenticated and (user.role in CITY_ROLES or user.role == Role.AUDITOR)


def districts_for(user) -> QuerySet[District]:
    """The districts whose data the user may see."""
    if sees_all_districts(user):
        return District.objects.all()
    if user.is_authenticated and user.is_official and user.district_id:
        return District.objects.filter(pk=user.district_id)
    return District.objects.none()


def scoped(user, queryset: QuerySet, *, district: str | None = "district", owner: str | None = None) -> QuerySet:
    """Narrow ``queryset`` to what ``user`` may see.

    ``district`` is the lookup path from the model to its District, ``owner`` the path to the buyer or
    manufacturer who owns it. Officials see by district (the municipality and auditors: all); owners see
    their own rows; everyone else sees nothing.
    """
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if sees_all_districts(user):
        return queryset
    if user.is_official:
        if district is None or not user.district_id:
            return queryset.none()
        return queryset.filter(**{f"{district}_id": user.district_id})
    if owner is not None:
        return queryset.filter(**{owner: user.pk})
    return queryset.none()


def get_or_404(queryset: QuerySet, **lookup):
    """Find one object in an already scoped queryset; anything outside the scope is simply not found."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


# --- Audit work (issue 11) ---------------------------------------------------------------------------


def audit_scoped(user, queryset: QuerySet, *, district: str | None = "district") -> QuerySet:
    """Narrow audit work (warnings, sampling runs, tasks, investigations) to the user's districts. Unlike
    ``scoped``, an auditor with a district (a third party engaged by it) sees only that district; an auditor
    without one works for the municipality and sees all, like the municipal agriculture bureau; a district
    agriculture office sees its own district's (it decides the cases). ``district=None``: the queryset is of
    districts."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.role == Role.CITY_AGRICULTURE or (user.role == Role.AUDITOR and not user.district_id):
        return queryset
    if user.role in (Role.AUDITOR, Role.DISTRICT_AGRICULTURE) and user.district_id:
        return queryset.filter(**{f"{district}_id" if district else "pk": user.district_id})
    return queryset.none()


# --- Buyers as officials see them ----------------------------------------------------------------------


def buyers_for(user) -> QuerySet[User]:
    """Registered buyers the user may look up: a district office sees the buyers registered in its district."""
    if not user.is_authenticated or not user.is_official:
        return User.objects.none()
    return scoped(user, User.objects.filter(role=Role.BUYER).select_related("district"))


def may_see_full_personal_data(viewer, subject: User) -> Decision:
    """Full ID and phone numbers are shown only to officials whose work needs them: the district agriculture
    officer verifying and the district finance officer paying, for buyers of their own district."""
    if not viewer.is_authenticated:
        return Decision(False, _("Please sign in."))
    if viewer.role not in {Role.DISTRICT_AGRICULTURE, Role.DISTRICT_FINANCE}:
        return Decision(False, _("Only the district officers who verify and pay may see full personal numbers."))
    if viewer.district_id != subject.district_id:
        return Decision(False, _("This buyer is registered in another district."))
    return Decision(True)


# --- Who decides on applications, who moves funds and who pays --------------------------------------------


def ensure_agriculture_office(user) -> None:
    """The district's agriculture office (or the municipal bureau, which oversees every district) decides on
    applications, else 403."""
    if user.role not in (Role.DISTRICT_AGRICULTURE, Role.CITY_AGRICULTURE):
        raise PermissionDenied(gettext("Only the agriculture office decides on applications."))


# --- Finance -----------------------------------------------------------------------------------------------


MOVES_FUNDS = _("Only the municipal finance bureau moves funds between and into districts.")
CLOSES_YEARS = _("Only the municipal finance bureau closes a subsidy year.")


def ensure_city_finance(user, *, reason=MOVES_FUNDS) -> None:
    """The municipal finance bureau's work (allocations, cuts, reallocations, settlements, the year end), else 403."""
    if not user.is_authenticated or user.role != Role.CITY_FINANCE:
        raise PermissionDenied(str(reason))


def ensure_district_finance(user) -> None:
    """A district finance officer's work (the queue, batches, the treasury's files), else 403."""
    if not user.is_authenticated or user.role != Role.DISTRICT_FINANCE:
        raise PermissionDenied(gettext("Payments are made by the district's finance officers."))


def ensure_pays_for(user, district_id: int) -> None:
    """The district's own finance officers act on its payments; the municipal finance bureau is refused (403), anyone
    else does not find them (404)."""
    if not user.is_authenticated or user.role != Role.DISTRICT_FINANCE or user.district_id != district_id:
        if user.is_authenticated and user.role == Role.CITY_FINANCE:
            raise PermissionDenied(gettext("Payments are made by the district's finance officers."))
        raise Http404
