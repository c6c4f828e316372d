"""The demo oversight data: warnings of every sign, a run per demo district with tasks in every state, an open
investigation, a case waiting for the answer, a published violation, a complaint followed by its reference; the
outsider's script recomputes a demo run from the public page's data alone; loading twice adds nothing."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from audits.models import Case, Complaint, Investigation, RiskWarning, SamplingRun, Sign, TaskState
from audits.sampling import replay

pytestmark = pytest.mark.django_db
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "replay_sampling.py"


def test_the_demo_shows_every_part_of_oversight_and_loads_once_R38_R42(client, tmp_path):
    call_command("seed_demo")
    assert set(RiskWarning.objects.values_list("sign", flat=True)) == set(Sign.values)
    for code in ("110108", "110114"):
        run = SamplingRun.objects.get(district__code=code)
        assert replay(run) == []
        assert set(run.tasks.values_list("state", flat=True)) == set(TaskState.values), code
    assert Investigation.objects.filter(closed_at__isnull=True, source="objection").count() == 2
    assert Case.objects.filter(decision="", answered_at__isnull=True).count() == 1
    assert Case.objects.filter(decision="violation").count() == 1
    assert client.get(reverse("audits_public:complaint_status_of", args=["DEMO0108"])).status_code == 200
    assert Complaint.objects.filter(reference="DEMO0108").exists()
    published = client.get(reverse("audits_public:violations")).content.decode()
    assert Case.objects.get(decision="violation").number in published
    # the outsider's script on the public data file of a demo run
    run = SamplingRun.objects.get(district__code="110108")
    path = tmp_path / "demo.json"
    path.write_bytes(client.get(reverse("audits_public:run_json", args=[run.number])).content)
    result = subprocess.run([sys.executable, "-I", str(SCRIPT), str(path)], capture_output=True, text=True)
    assert result.returncode == 0 and "The same as the published selection." in result.stdout
    counts = (RiskWarning.objects.count(), SamplingRun.objects.count(), Case.objects.count())
    call_command("seed_demo")
    assert (RiskWarning.objects.count(), SamplingRun.objects.count(), Case.objects.count()) == counts
