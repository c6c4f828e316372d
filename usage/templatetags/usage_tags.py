"""``{% usage_panel application %}``: on the buyer's application page, the application subsidy's word on it (R20) —
the machine's progress toward this year's targets, or, on a claim, the machine it was claimed for. A hook the
applications templates load, so ``applications`` never imports ``usage``."""

from django import template

from applications.models import Kind

from .. import rules

register = template.Library()


@register.inclusion_tag("usage/_buyer_panel.html")
def usage_panel(application):
    if application.kind == Kind.INCENTIVE:
        return {"claim": application, "machine": application.incentive_for}
    if application.state not in rules.PAID_STATES:
        return {}
    return {"machine": application, "progress": rules.progress_for(application)}
