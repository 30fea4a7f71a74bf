"""Add the rows of the other jurisdiction-scoped lists to a database filled by fill.py.

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/load/fill_lists.py

bench/load/run.sh runs it after fill.py. It adds, by COPY: one issued document per case
(a ruling about its cadre for a case fed back or closed, an acceptance notice otherwise)
and one per fifth proposal (an adjustment decision), issued by the case's or proposal's
authority; 20,000 petitions, 50,000 commendations and 10,000 exceptional-promotion
requests, spread over the authorities like the cases (each about a cadre of the
authority's jurisdiction); and a leadership-team grade per unit and year (2020-2025).
Refuses to run twice (documents already there).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from array import array
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from fill import copy_rows  # noqa: E402  (bench/load/fill.py, the same COPY)

from assessments.enums import TeamGrade  # noqa: E402
from assessments.models import TeamAssessment  # noqa: E402
from cadres.models import Authority, Cadre, Unit  # noqa: E402
from clarifications.enums import Channel, PetitionState, SubjectKind  # noqa: E402
from clarifications.models import Petition  # noqa: E402
from core.models import DocumentKind, IssuedDocument, User  # noqa: E402
from promotions.enums import ExceptionalState  # noqa: E402
from promotions.incentives.enums import CommendationKind  # noqa: E402
from promotions.models import Commendation, ExceptionalRequest, PromotionPolicy, Proposal  # noqa: E402
from tolerance.enums import CaseState  # noqa: E402
from tolerance.models import Case  # noqa: E402

PETITIONS = 20_000
COMMENDATIONS = 50_000
EXCEPTIONAL = 10_000
RULED = {CaseState.FED_BACK, CaseState.CLOSED}


def _by_authority(rows):
    """authority id -> array of cadre ids reached through its cases (a fair sample)."""
    reach: dict[int, array] = {}
    for authority_id, cadre_id in rows:
        reach.setdefault(authority_id, array("l")).append(cadre_id)
    return reach


def _spread(total: int, reach: dict[int, array]):
    keys = sorted(reach)
    weights = [len(reach[k]) for k in keys]
    running, cumulative = 0, []
    for w in weights:
        running += w
        cumulative.append(running)
    for k in range(total):
        point = (k * 104_729) % running
        a = next(i for i, edge in enumerate(cumulative) if point < edge)
        cadres = reach[keys[a]]
        yield keys[a], cadres[(k * 7_919) % len(cadres)]


def documents(now, admin) -> float:
    case_type = ContentType.objects.get_for_model(Case)
    proposal_type = ContentType.objects.get_for_model(Proposal)
    short = dict(Authority.objects.values_list("pk", "short_name"))
    cases = Case.objects.order_by("id").values_list(
        "id", "authority_id", "state", "created_at", "entries__cadre_id"
    )
    proposals = Proposal.objects.filter(id__endswith="0").order_by("id").values_list(
        "id", "authority_id", "cadre_id", "year"
    )
    seqs: dict[tuple[int, int, str], int] = {}

    def number(authority_id, year, series):
        seq = seqs[(authority_id, year, series)] = seqs.get((authority_id, year, series), 0) + 1
        return seq, f"{short.get(authority_id) or authority_id}{series}〔{year}〕{seq}号"

    def rows():
        pk = 0
        for case_id, authority_id, state, created, cadre_id in cases.iterator(chunk_size=20_000):
            pk += 1
            issued = created + dt.timedelta(days=3)
            ruling = state in RULED
            series = "容" if ruling else "受"
            seq, text = number(authority_id, issued.year, series)
            kind = DocumentKind.TOLERANCE_RULING if ruling else DocumentKind.ACCEPTANCE_NOTICE
            yield {
                "id": pk, "number": text, "authority_id": authority_id, "year": issued.year,
                "series": series, "seq": seq, "kind": kind,
                "key": f"bench.{kind}:case={case_id}", "title": f"基准文书{pk}",
                "cadre_id": cadre_id if ruling else None, "content_type_id": case_type.pk,
                "object_id": case_id, "issued_on": timezone.localdate(issued),
                "subject_authority_id": authority_id,
                "issued_at": issued, "issued_by_id": admin.pk, "file": f"documents/b{pk}.pdf",
                "sha256": f"{pk:064x}", "size": 1000, "filename": f"{text}.pdf",
            }
        for proposal_id, authority_id, cadre_id, year in proposals.iterator(chunk_size=20_000):
            pk += 1
            seq, text = number(authority_id, year, "调")
            issued = now - dt.timedelta(minutes=proposal_id)
            yield {
                "id": pk, "number": text, "authority_id": authority_id, "year": year,
                "series": "调", "seq": seq, "kind": DocumentKind.ADJUSTMENT_DECISION,
                "key": f"bench.decision:proposal={proposal_id}", "title": f"基准调整决定{pk}",
                "cadre_id": cadre_id, "content_type_id": proposal_type.pk,
                "object_id": proposal_id, "issued_on": timezone.localdate(issued),
                "subject_authority_id": authority_id,
                "issued_at": issued, "issued_by_id": admin.pk, "file": f"documents/b{pk}.pdf",
                "sha256": f"{pk:064x}", "size": 1000, "filename": f"{text}.pdf",
            }

    total = Case.objects.count() + proposals.count()
    print(f"Issued documents: {total:,}")
    return copy_rows(IssuedDocument, rows(), total=total)


def fill() -> None:
    if IssuedDocument.objects.exists():
        raise SystemExit("fill_lists.py: documents already there (run it once, after fill.py)")
    admin = User.objects.get(username="bench_admin")
    now = timezone.now()
    timings = {"documents": documents(now, admin)}
    reach = _by_authority(Case.objects.values_list("authority_id", "entries__cadre_id"))
    unit_of, level_of = {}, {}
    wanted = sorted({c for cadres in reach.values() for c in cadres})
    for start in range(0, len(wanted), 50_000):
        for pk, unit_id, level in Cadre.objects.filter(
            pk__in=wanted[start:start + 50_000]
        ).values_list("id", "unit_id", "management_level"):
            unit_of[pk], level_of[pk] = unit_id, level
    today = timezone.localdate()
    states = list(PetitionState.values)
    channels = list(Channel.values)
    print(f"Petitions: {PETITIONS:,}")
    timings["petitions"] = copy_rows(Petition, (
        {
            "id": k + 1, "authority_id": a, "received_on": today - dt.timedelta(days=k % 700),
            "channel": channels[k % len(channels)], "subject_kind": SubjectKind.CADRE,
            "cadre_id": cadre, "allegations": "反映其在项目推进中存在违规问题。",
            "state": states[(k * 7) % len(states)], "created_by_id": admin.pk,
            "created_at": now,
        }
        for k, (a, cadre) in enumerate(_spread(PETITIONS, reach))
    ), total=PETITIONS)
    kinds = list(CommendationKind.values)
    print(f"Commendations: {COMMENDATIONS:,}")
    timings["commendations"] = copy_rows(Commendation, (
        {
            "id": k + 1, "kind": kinds[k % len(kinds)], "year": 2020 + k % 6,
            "granted_on": dt.date(2020 + k % 6, 1 + k % 12, 1 + k % 28), "granted_by": "基准市委",
            "citation": "在重点工作中表现突出。", "cadre_id": cadre, "unit_id": unit_of[cadre],
            "cadre_unit_id": unit_of[cadre], "cadre_level": level_of[cadre], "authority_id": a,
            "created_at": now, "created_by_id": admin.pk,
        }
        for k, (a, cadre) in enumerate(_spread(COMMENDATIONS, reach))
    ), total=COMMENDATIONS)
    policy = PromotionPolicy.objects.order_by("id").first()
    exceptional_states = list(ExceptionalState.values)
    print(f"Exceptional requests: {EXCEPTIONAL:,}")
    timings["exceptional"] = copy_rows(ExceptionalRequest, (
        {
            "id": k + 1, "authority_id": a, "cadre_id": cadre, "unit_id": unit_of[cadre],
            "current_rank": 4, "target_title": "副局长", "target_rank": 5,
            "situation": "bench", "situation_title": "基准情形", "policy_id": policy.pk,
            "thresholds": [], "reasons": "实绩突出。",
            "state": exceptional_states[(k * 3) % len(exceptional_states)],
            "created_at": now - dt.timedelta(minutes=k), "created_by_id": admin.pk,
            "updated_at": now,
        }
        for k, (a, cadre) in enumerate(_spread(EXCEPTIONAL, reach))
    ), total=EXCEPTIONAL)
    units = list(Unit.objects.order_by("id").values_list("id", flat=True))
    grades = [(u, y) for u in units for y in range(2020, 2026)]
    print(f"Team grades: {len(grades):,}")
    timings["team grades"] = copy_rows(TeamAssessment, (
        {"id": k + 1, "unit_id": u, "year": y, "grade": TeamGrade.values[0], "comments": ""}
        for k, (u, y) in enumerate(grades)
    ), total=len(grades))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    for what, seconds in timings.items():
        print(f"{what:>16}: {seconds:7.1f} s")


if __name__ == "__main__":
    if connection.vendor != "postgresql":
        raise SystemExit("fill_lists.py needs PostgreSQL (DATABASE_URL=postgres://...)")
    started = time.monotonic()
    fill()
    print(f"{'total':>16}: {time.monotonic() - started:7.1f} s")
