from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render

from .. import public
from ..models import SamplingRun


def runs(request):
    """Every sampling run, redraws included (R25)."""
    return render(request, "audits/public/runs.html", {"runs": public.public_runs(), "workspace": "public"})


def run_detail(request, number):
    run = get_object_or_404(public.public_runs(), number=number)
    return render(
        request,
        "audits/public/run.html",
        {"run": run, "selections": public.public_selections(run), "workspace": "public"},
    )


def run_json(request, number):
    run = get_object_or_404(SamplingRun.objects.select_related("district", "redraw_of"), number=number)
    response = JsonResponse(public.run_data(run), json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="{run.number}.json"'
    return response
