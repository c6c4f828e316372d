"""/api/v1/ (the JSON API), and the profile page's token forms under /api/tokens/."""

from functools import wraps

from django.http import HttpResponseNotAllowed
from django.urls import path

from . import views
from .main import api
from .problems import problem


def _method_not_allowed_as_a_problem(view):
    """ninja answers a method an endpoint lacks with a plain 405; the API answers every refusal as a problem."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            return problem(405, headers={"Allow": response["Allow"]})
        return response

    return wrapped


def _v1():
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _method_not_allowed_as_a_problem(pattern.callback)
    return patterns, app_name, namespace


def not_found(request, rest: str):
    """A path under /api/v1/ that names no endpoint: a problem too, not the site's HTML page."""
    return problem(404)


urlpatterns = [
    path("v1/", _v1()),
    path("v1/<path:rest>", not_found),
    path("tokens/new/", views.token_new, name="api_token_new"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="api_token_revoke"),
]
