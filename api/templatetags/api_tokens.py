from django import template

from api.tokens import tokens_of

register = template.Library()


@register.simple_tag
def personal_tokens(user):
    """An official's API tokens, newest first, for the profile page."""
    return list(tokens_of(user)[:50])
