"""Who gave whom which role, and what four-eyes makes of it (R36, R45).

Every time a user is saved with a new role, district or administration rights (``is_staff``/``is_superuser``),
including when the account is made, a ``RoleChange`` row is written: the trail of role changes, one chain per user
(core/chain.py). A change of the user's groups or permissions in the admin is written too (``record_rights``,
called by the admin once the form's groups and permissions are saved). The admin says who made the change
(``user.changed_by``); a change made elsewhere (a command, a migration) is recorded with no author.

``four_eyes_refusal`` is the rule finance approval reads: the approver of a batch must not have been created or
given their role by the officer who built it, nor have received their role within the cooling-off period
(``FOUR_EYES_COOLING_OFF_HOURS``), so one person cannot make a second account to approve their own batch.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext as _

from core import chain

from .models import District, RoleChange, User


def _shape(user: User) -> tuple:
    rights = " ".join(name for name, flag in (("staff", user.is_staff), ("superuser", user.is_superuser)) if flag)
    return user.role, user.district_id, rights


def _before(sender, instance: User, raw=False, **kwargs) -> None:
    if raw:
        return
    old = User.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._role_shape_before = _shape(old) if old else None


def _record(sender, instance: User, created: bool, raw=False, **kwargs) -> None:
    if raw:
        return
    before = getattr(instance, "_role_shape_before", None)
    after = _shape(instance)
    if before == after and not created:
        return
    ids = {d for d in (before[1] if before else None, after[1]) if d}
    codes = dict(District.objects.filter(pk__in=ids).values_list("pk", "code")) if ids else {}
    _append(
        instance,
        at=instance.date_joined if created else timezone.now(),
        role_before=before[0] if before else "",
        district_before=codes.get(before[1], "") if before else "",
        district=codes.get(after[1], ""),
    )
    instance._role_shape_before = after


def rights_of(user: User) -> tuple[str, str]:
    """The user's groups and permissions as the trail writes them: names sorted, "; " apart."""
    if user.pk is None:
        return "", ""
    groups = sorted(user.groups.values_list("name", flat=True))
    perms = sorted(f"{a}.{c}" for a, c in user.user_permissions.values_list("content_type__app_label", "codename"))
    return "; ".join(groups), "; ".join(perms)


def record_rights(user: User, *, before: tuple[str, str], by=None) -> RoleChange | None:
    """Write a role change when ``user``'s groups or permissions differ from ``before`` (``rights_of`` taken before
    the change), or None when they do not."""
    if rights_of(user) == before:
        return None
    code = user.district.code if user.district_id else ""
    return _append(user, at=timezone.now(), role_before=user.role, district_before=code, district=code, by=by)


def _append(user: User, *, at, role_before: str, district_before: str, district: str, by=None) -> RoleChange:
    groups, permissions = rights_of(user)
    change = RoleChange(
        user=user,
        by=by or getattr(user, "changed_by", None),
        at=at,
        role_before=role_before,
        role=user.role,
        district_before=district_before,
        district=district,
        rights=_shape(user)[2],
        groups=groups,
        permissions=permissions,
    )
    return chain.append(change, chain=RoleChange.objects.filter(user=user))


def connect() -> None:
    pre_save.connect(_before, sender=User, dispatch_uid="accounts.roles.before")
    post_save.connect(_record, sender=User, dispatch_uid="accounts.roles.record")


def four_eyes_refusal(*, approver: User, builder_id: int) -> str:
    """Why ``approver`` may not approve a batch built by ``builder_id``, or "" when they may."""
    changes = RoleChange.objects.filter(user=approver)
    if changes.filter(by_id=builder_id).exists():
        return _(
            "Your account was created or given its role by the officer who built this batch; another finance "
            "officer must approve it."
        )
    hours = settings.FOUR_EYES_COOLING_OFF_HOURS
    latest = changes.order_by("-at").values_list("at", flat=True).first() or approver.date_joined
    if latest > timezone.now() - timedelta(hours=hours):
        return _(
            "Your account received its role less than %(hours)s hours ago; an officer of longer standing must "
            "approve this batch."
        ) % {"hours": hours}
    return ""
