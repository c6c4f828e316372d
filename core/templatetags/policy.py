from django import template

from core.citations import cite

register = template.Library()


@register.filter
def policy_article(rule):
    """A rule number as the policy article officials know it ("R36" → 附件1第四条(七)); an unknown one: nothing."""
    return cite(str(rule or ""))
