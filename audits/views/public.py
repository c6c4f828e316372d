from axes.helpers import get_client_ip_address
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.crypto import blind_index
from accounts.models import District

from .. import complaints, public
from ..errors import AuditError, ComplaintLimitError
from ..forms import ComplaintForm, ReferenceForm
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


def complaint_new(request):
    """R25: anyone may complain; the district's complaint telephone is beside the form."""
    districts = District.objects.filter(active=True)
    form = ComplaintForm(request.POST or None, districts=districts)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = complaints.submit_complaint(
                **form.cleaned_data, sender_key=blind_index(get_client_ip_address(request) or "")
            )
        except ComplaintLimitError as exc:
            form.add_error(None, exc.message)
        except AuditError as exc:
            form.add_error("text", exc.message)
        else:
            return redirect("audits_public:complaint_status_of", reference=complaint.reference)
    return render(
        request, "audits/public/complaint_new.html", {"form": form, "districts": districts, "workspace": "public"}
    )


def complaint_status(request, reference=""):
    form = ReferenceForm(request.GET or None, initial={"reference": reference})
    reference = reference or (form.cleaned_data["reference"] if form.is_valid() else "")
    complaint = complaints.complaint_by_reference(reference)
    return render(
        request,
        "audits/public/complaint_status.html",
        {"form": form, "complaint": complaint, "reference": reference, "workspace": "public"},
    )


def violations(request):
    """R42: decided violation cases, personal data masked."""
    page = Paginator(public.decided_violations(), 50).get_page(request.GET.get("page"))
    return render(request, "audits/public/violations.html", {"page": page, "workspace": "public"})
