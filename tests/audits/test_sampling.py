"""Sampling runs (R32, R38): the 100% rules, the share and its random/risk split, the seed fixed at the draw,
the replay that detects a changed population or seed, and the outsider's script on the public data."""

import json
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import ProgrammingError
from django.urls import reverse
from django.utils import timezone

from audits import draw
from audits.errors import AuditError
from audits.models import AuditTask, Part, SamplingRun, Selection
from audits.sampling import draw_run, replay
from catalog.models import Item
from tests.applications.conftest import make_product

pytestmark = pytest.mark.django_db
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "replay_sampling.py"


@pytest.fixture
def period():
    today = timezone.localdate()
    return {"period_start": today - timedelta(days=30), "period_end": today}


@pytest.fixture
def hundred(cast, live, product):
    """100 ordinary applications in 海淀区 and 4 of a high-risk item (drawn whole)."""
    apps = live(cast["buyer"], 100)
    risky = make_product(code="16.1.2", grade_name="高风险", model="HR-1", params="功率≥200马力")
    Item.objects.filter(pk=risky.item_id).update(is_high_risk=True)
    return apps, live(cast["buyer"], 4, product=risky)


def test_the_draw_takes_every_high_risk_machine_and_a_share_split_random_and_risk_R38(cast, hundred, period, haidian):
    apps, risky = hundred
    run = draw_run(district=haidian, seed="2026-11-30 福彩 081", by=cast["city"], **period)
    parts = dict(Selection.objects.filter(run=run).values_list("application_id", "part"))
    assert {a.pk for a in risky} <= {pk for pk, part in parts.items() if part == Part.FULL}
    assert sum(1 for p in parts.values() if p == Part.FULL) == 4
    # 10% of the 100 others = 10, of which a quarter (2.5 -> 3) at random and 7 by risk score
    assert sum(1 for p in parts.values() if p == Part.RANDOM) == 3
    assert sum(1 for p in parts.values() if p == Part.RISK) == 7
    assert AuditTask.objects.filter(run=run).count() == 14
    assert len(run.population) == 104 and run.population_hash == draw.population_hash(run.population)
    # the random part is the three smallest SHA-256 tickets of seed and id
    tickets = sorted((draw.ticket(run.seed, a.pk), a.pk) for a in apps)
    assert {pk for _t, pk in tickets[:3]} == {pk for pk, p in parts.items() if p == Part.RANDOM}


def test_the_risk_part_takes_the_highest_scores_R38(cast, live, period, haidian, rule):
    from audits import signs
    from audits.models import Sign

    for sign in (Sign.MULTI_UNIT, Sign.BURST_BUYER, Sign.PRODUCT_VOLUME):
        rule(sign, 1000, period_days=30)
    ordinary = live(cast["buyer"], 40)
    warned = live(cast["other_buyer"], 1, district=haidian, amount="99000.00")
    rule(Sign.UNIT_SUBSIDY, "50000")
    signs.scan()
    run = draw_run(district=haidian, seed="s", by=cast["officer"], **period)
    selection = Selection.objects.get(run=run, application=warned[0])
    assert selection.part in (Part.RISK, Part.RANDOM)  # 4 checked: 1 at random, 3 by the highest scores
    assert selection.score == Decimal("10") + Decimal("9.90") + Decimal("5")  # warning, amount, new product
    assert selection.factors["warnings"] == 1
    assert ordinary


def test_same_seed_same_selection_and_another_seed_another_R38(cast, hundred, period, haidian):
    first = draw_run(district=haidian, seed="A", by=cast["city"], **period)
    again = draw_run(district=haidian, seed="A", by=cast["city"], redraw_of=first, redraw_reason="复核", **period)
    other = draw_run(district=haidian, seed="B", by=cast["city"], redraw_of=first, redraw_reason="换种子", **period)

    def chosen(run):
        return set(Selection.objects.filter(run=run).values_list("application_id", "part"))

    assert chosen(first) == chosen(again) != chosen(other)
    assert SamplingRun.objects.count() == 3  # a redraw is a new run; all stay visible


def test_a_draw_needs_a_seed_and_a_redraw_needs_a_reason_and_only_the_office_draws_R38(
    cast, hundred, period, haidian, changping
):
    with pytest.raises(AuditError):
        draw_run(district=haidian, seed="  ", by=cast["city"], **period)
    first = draw_run(district=haidian, seed="x", by=cast["city"], **period)
    with pytest.raises(AuditError):
        draw_run(district=haidian, seed="y", by=cast["city"], **period)
    with pytest.raises(AuditError):
        draw_run(district=haidian, seed="y", by=cast["city"], redraw_of=first, **period)
    for who in ("other_officer", "auditor", "buyer"):
        with pytest.raises(PermissionDenied):
            draw_run(district=haidian, seed="y", by=cast[who], redraw_of=first, redraw_reason="r", **period)
    assert SamplingRun.objects.count() == 1


def test_the_seed_cannot_be_changed_after_the_draw_R45(cast, hundred, period, haidian):
    run = draw_run(district=haidian, seed="x", by=cast["city"], **period)
    with pytest.raises(ProgrammingError), transaction.atomic():
        SamplingRun.objects.filter(pk=run.pk).update(seed="y")
    assert SamplingRun.objects.get(pk=run.pk).seed == "x"


def _tamper(run, **fields):
    """What someone with the database owner's rights could do: switch the trigger off and change the row."""
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # triggers off, as a superuser could
        SamplingRun.objects.filter(pk=run.pk).update(**fields)
        cursor.execute("SET session_replication_role = DEFAULT")
    return SamplingRun.objects.get(pk=run.pk)


def test_replay_passes_and_detects_a_changed_seed_or_population_R38(cast, hundred, period, haidian, capsys):
    run = draw_run(district=haidian, seed="x", by=cast["city"], **period)
    assert replay(run) == []
    call_command("sampling", "replay", run.number)
    assert "replays: 14 selected of 104" in capsys.readouterr().out

    reseeded = _tamper(run, seed="y")
    with pytest.raises(CommandError) as failed:
        call_command("sampling", "replay", run.number)
    message = str(failed.value)
    assert "seed" in message.lower() or "种子" in message
    assert "should be selected" in message or "应当被抽中" in message

    population = list(run.population)
    population[0] = [population[0][0], True, population[0][2]]  # one application quietly made "full"
    changed = _tamper(reseeded, seed="x", population=population)
    differences = replay(changed)
    assert any("hash" in d or "哈希" in d for d in differences)


def test_replay_exits_non_zero_from_the_command_line_R38(cast, hundred, period, haidian):
    run = draw_run(district=haidian, seed="x", by=cast["city"], **period)
    _tamper(run, seed="z")
    with pytest.raises(CommandError):
        call_command("sampling", "replay", str(run.pk))


def test_the_outsider_script_recomputes_the_run_from_the_public_data_R38(
    client, cast, hundred, period, haidian, tmp_path
):
    run = draw_run(district=haidian, seed="2026-11-30 福彩 081", by=cast["city"], **period)
    page = client.get(reverse("audits_public:run", args=[run.number])).content.decode()
    assert run.seed in page and run.population_hash in page
    assert "张三" not in page and "张*" in page
    data = client.get(reverse("audits_public:run_json", args=[run.number]))
    assert "张三" not in data.content.decode() and "110108197503120033" not in data.content.decode()
    path = tmp_path / "run.json"
    path.write_bytes(data.content)
    ok = subprocess.run([sys.executable, "-I", str(SCRIPT), str(path)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout
    assert "Recomputed selection: 14 (full 4, random 3, risk 7)" in ok.stdout
    published = json.loads(data.content)
    published["seed"] = "another"
    path.write_text(json.dumps(published))
    bad = subprocess.run([sys.executable, "-I", str(SCRIPT), str(path)], capture_output=True, text=True)
    assert bad.returncode == 1 and "DIFFERENT" in bad.stdout


def test_the_public_run_list_keeps_its_queries_R38(client, cast, live, period, haidian, django_assert_num_queries):
    from django.test.utils import CaptureQueriesContext

    live(cast["buyer"], 10)
    run = draw_run(district=haidian, seed="x", by=cast["city"], **period)
    url = reverse("audits_public:run", args=[run.number])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    live(cast["buyer"], 990)
    big = draw_run(district=haidian, seed="x", by=cast["city"], redraw_of=run, redraw_reason="更多", **period)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(reverse("audits_public:run", args=[big.number])).status_code == 200
