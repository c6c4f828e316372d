"""How well each part of a run worked (R38): findings in the random part against the risk part, and per warning
sign how many of its warnings ended in a confirmed violation, so the municipality can tune the weights."""

from collections import Counter

from .models import Conclusion, Part, RiskWarning, SamplingRun, Sign


def _confirmed_ids(application_ids) -> set[int]:
    from .models import Case, Decision

    return set(
        Case.objects.filter(investigation__application_id__in=application_ids, decision=Decision.VIOLATION).values_list(
            "investigation__application_id", flat=True
        )
    )


def figures(run: SamplingRun) -> dict:
    rows = list(run.tasks.values_list("application_id", "selection__part", "state", "report__conclusion"))
    ids = [r[0] for r in rows]
    confirmed = _confirmed_ids(ids)
    parts = []
    for part, label in Part.choices:
        mine = [r for r in rows if r[1] == part]
        done = [r for r in mine if r[2] == "concluded"]
        found = [r for r in done if r[3] in (Conclusion.SUSPECTED, Conclusion.LEAD)]
        violations = [r for r in mine if r[0] in confirmed]
        parts.append(
            {
                "part": part,
                "label": label,
                "selected": len(mine),
                "concluded": len(done),
                "findings": len(found),
                "violations": len(violations),
                "rate": f"{100 * len(found) / len(done):.0f}%" if done else "—",
            }
        )
    raised, ended = Counter(), Counter()
    for application_id, sign in RiskWarning.objects.filter(application_id__in=ids).values_list(
        "application_id", "sign"
    ):
        raised[sign] += 1
        ended[sign] += application_id in confirmed
    signs = [
        {"sign": sign, "label": label, "warnings": raised[sign], "violations": ended[sign]}
        for sign, label in Sign.choices
        if raised[sign]
    ]
    return {"parts": parts, "signs": signs, "all_done": bool(rows) and all(r[2] == "concluded" for r in rows)}
