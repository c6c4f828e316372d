"""Raising a warning on an application (R28, R38, R39) for another app: the badge officials see, with the figures
that raised it. A warning never refuses anything."""

from .models import Application, Warning


def raise_warning(*, application: Application, code: str, rule: str, message: str, data: dict | None = None) -> Warning:
    """The open warning of ``code`` on the application, created or brought up to date with ``data``.

    ``message`` is the English source text (marked with ``gettext_noop``), with ``%(name)s`` placeholders filled
    from ``data`` where it is shown (``Warning.text``), in the reader's language."""
    warning, created = Warning.objects.get_or_create(
        application=application,
        code=code,
        cleared_at=None,
        defaults={"rule": rule, "message": message, "data": data or {}},
    )
    if not created and (warning.data != (data or {}) or warning.message != message):
        warning.data, warning.message = data or {}, message
        warning.save(update_fields=["data", "message"])
    return warning


def raise_warnings_in_bulk(rows) -> dict[tuple[int, str], Warning]:
    """For a nightly scan: ``rows`` of (application id, code, rule, message, data); one open warning per
    application and code, created or brought up to date in a few statements. Returns them by (id, code)."""
    rows = list(rows)
    ids = {row[0] for row in rows}
    codes = {row[1] for row in rows}
    open_ = {
        (w.application_id, w.code): w
        for w in Warning.objects.filter(application_id__in=ids, code__in=codes, cleared_at__isnull=True)
    }
    new, changed = {}, []
    for application_id, code, rule, message, data in rows:
        warning = open_.get((application_id, code)) or new.get((application_id, code))
        if warning is None:
            new[(application_id, code)] = Warning(
                application_id=application_id, code=code, rule=rule, message=message, data=data
            )
        elif warning.pk and (warning.data != data or warning.message != message):
            warning.data, warning.message = data, message
            changed.append(warning)
        else:
            warning.data, warning.message = data, message
    Warning.objects.bulk_create(new.values(), batch_size=2000)
    Warning.objects.bulk_update(changed, ["data", "message"], batch_size=2000)
    return {**open_, **new}
