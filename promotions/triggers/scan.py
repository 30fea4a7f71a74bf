"""The yearly trigger scan: set-based over the whole data, never one cadre at a time.

One bulk read per kind of evidence (target grades, monitoring ranks, poverty results,
incidents with their leaders, the leaders' tolerance effects, the principal leaders of the
units that fired, individual 不称职 grades and the exemptions of those cadres' year), the
pure rules of promotions.triggers.rules in memory, then one INSERT of the
new proposals. The unique key (cadre, area, year) makes a re-run create nothing twice.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q

from assessments.exemptions import exemptions_in_year
from assessments.models import (
    AnnualAssessment,
    IncidentLeader,
    MonitoringRank,
    PovertyTarget,
    TargetAssessment,
)
from cadres.enums import CadreStatus, PostType
from cadres.models import Authority, Cadre
from cadres.permissions import covering_authority_ids
from core import audit
from core.policies import PolicyNotInForce, jurisdiction_partition, policy_kind
from promotions.enums import TriggerArea
from promotions.models import IncidentMatter, Proposal
from promotions.policies import KIND, policy_in_force
from promotions.policy_data import Terms
from tolerance.effects import matter_effects

from . import rules

AREA_OF_KIND = {
    "environment": TriggerArea.ENVIRONMENT,
    "work_safety": TriggerArea.WORK_SAFETY,
    "mass": TriggerArea.STABILITY,
    "public_safety": TriggerArea.STABILITY,
    "party_building": TriggerArea.PARTY_BUILDING,
}
# A rule's area and the staff-proposed ground it duplicates: one proposal per cadre and year.
SAME_GROUND = {TriggerArea.INCOMPETENT_GRADE: TriggerArea.INCOMPETENT}


@dataclass
class Candidate:
    cadre_id: int
    unit_id: int
    area: str
    role: str
    clause: str
    evidence: list[dict]


@dataclass
class ScanResult:
    year: int
    policy_id: int
    fired: int = 0
    created: int = 0
    existing: int = 0
    seconds: float = 0.0
    proposal_ids: list[int] = field(default_factory=list)


def _unit_scope(authority: Authority | None, prefix: str = "unit__") -> Q:
    if authority is None:
        return Q()
    q = Q(pk__in=[])
    for root in authority.root_units.all():
        q |= Q(**{f"{prefix}path__startswith": root.path})
    return q


# --------------------------------------------------------------- unit-level areas


def _target_firings(year: int, terms: Terms, scope: Q) -> dict[int, list[tuple]]:
    span = max(terms.target_average_years, terms.target_poor_years, 1)
    rows = TargetAssessment.objects.filter(scope, year__gt=year - span, year__lte=year).values_list(
        "unit_id", "year", "grade", "pk"
    )
    by_unit: dict[int, dict[int, tuple[str, int]]] = defaultdict(dict)
    for unit_id, y, grade, pk in rows:
        by_unit[unit_id][y] = (grade, pk)
    fired: dict[int, list[tuple]] = defaultdict(list)
    for unit_id, years in by_unit.items():
        firing = rules.target_trigger({y: g for y, (g, _pk) in years.items()}, year, terms)
        if firing:
            evidence = [
                {"kind": "target", "id": years[y][1], "year": y, "grade": years[y][0]}
                for y in firing.years
            ]
            fired[unit_id].append((TriggerArea.TARGET, firing.clause, evidence))
    return fired


def _monitoring_firings(year: int, terms: Terms, scope: Q) -> dict[int, list[tuple]]:
    """Drops are ranked within the whole group (the province's ranking), whatever the scope."""
    first = year - terms.monitoring_years  # the year before the first year of the run
    rows = MonitoringRank.objects.filter(year__gte=first, year__lte=year).values_list(
        "unit_id", "group", "year", "rank", "pk"
    )
    ranks: dict[tuple[str, int], dict[int, tuple[int, int]]] = defaultdict(dict)
    for unit_id, group, y, rank, pk in rows:
        ranks[(group, y)][unit_id] = (rank, pk)
    flagged: dict[int, dict[int, dict]] = defaultdict(dict)
    for (group, y), units in ranks.items():
        if y == first:
            continue
        before = ranks.get((group, y - 1), {})
        changes = {u: (before[u][0] - r if u in before else None) for u, (r, _pk) in units.items()}
        n = terms.county_largest_drops if group == "county" else terms.district_largest_drops
        for unit_id in rules.largest_drops(changes, n):
            flagged[unit_id][y] = {
                "kind": "rank",
                "id": units[unit_id][1],
                "year": y,
                "rank": units[unit_id][0],
                "previous": before[unit_id][0],
            }
    in_scope = (
        set(
            MonitoringRank.objects.filter(scope, unit_id__in=list(flagged), year=year).values_list(
                "unit_id", flat=True
            )
        )
        if flagged
        else set()
    )
    fired: dict[int, list[tuple]] = defaultdict(list)
    for unit_id, years in flagged.items():
        if unit_id not in in_scope:
            continue
        firing = rules.monitoring_trigger(years, year, terms)
        if firing:
            evidence = [years[y] for y in firing.years]
            fired[unit_id].append((TriggerArea.MONITORING, firing.clause, evidence))
    return fired


def _poverty_firings(year: int, scope: Q) -> dict[int, list[tuple]]:
    rows = PovertyTarget.objects.filter(
        scope, year=year, achieved__isnull=False, achieved__lt=F("target")
    ).values_list("unit_id", "pk", "target", "achieved")
    fired: dict[int, list[tuple]] = defaultdict(list)
    for unit_id, pk, target, achieved in rows:
        firing = rules.poverty_trigger(False, year)
        evidence = [
            {"kind": "poverty", "id": pk, "year": year, "target": target, "achieved": achieved}
        ]
        fired[unit_id].append((TriggerArea.POVERTY, firing.clause, evidence))
    return fired


def principal_leaders(unit_ids: list[int]) -> dict[int, list[int]]:
    """Unit → its principal leaders: serving cadres in leadership posts of the unit holding
    its highest rank (one query). An assumption: the roster records no 'principal' flag."""
    rows = Cadre.objects.filter(
        unit_id__in=unit_ids, post_type=PostType.LEADERSHIP, status=CadreStatus.SERVING
    ).values_list("unit_id", "pk", "rank")
    top: dict[int, int] = {}
    members: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for unit_id, pk, rank in rows:
        members[unit_id].append((pk, rank))
        top[unit_id] = max(top.get(unit_id, 0), rank)
    return {u: sorted(pk for pk, r in m if r == top[u]) for u, m in members.items()}


# --------------------------------------------------------------- incident areas


def _incident_candidates(year: int, terms: Terms, scope: Q) -> list[Candidate]:
    """`scope` is written for IncidentLeader rows (incident__unit__path...)."""
    roles = {
        TriggerArea.ENVIRONMENT: terms.environment_roles,
        TriggerArea.WORK_SAFETY: terms.work_safety.roles,
        TriggerArea.STABILITY: terms.stability.roles,
        TriggerArea.PARTY_BUILDING: terms.party_roles,
    }
    rows = list(
        IncidentLeader.objects.filter(
            scope,
            incident__occurred_on__gte=dt.date(year, 1, 1),
            incident__occurred_on__lte=dt.date(year, 12, 31),
            incident__kind__in=list(AREA_OF_KIND),
        ).values_list(
            "cadre_id",
            "role",
            "incident_id",
            "incident__kind",
            "incident__severity",
            "incident__handled_in_time",
            "incident__secondary_disaster",
            "incident__criticized_by",
            "incident__title",
            "incident__occurred_on",
            "incident__unit_id",
        )
    )
    links = (
        dict(
            IncidentMatter.objects.filter(incident_id__in={r[2] for r in rows}).values_list(
                "incident_id", "matter_id"
            )
        )
        if rows
        else {}
    )
    effects = matter_effects((links[r[2]], r[0]) for r in rows if r[2] in links)
    grouped: dict[tuple[int, str], list[tuple]] = defaultdict(list)
    for row in rows:
        area = AREA_OF_KIND[row[3]]
        if row[1] in roles[area]:
            grouped[(row[0], area)].append(row)
    found = []
    for (cadre_id, area), items in grouped.items():
        facts, evidence = [], {}
        for cadre, role, pk, _kind, sev, hit, sec, crit, title, on, unit_id in items:
            effect = effects.get((links[pk], cadre)) if pk in links else None
            facts.append(
                rules.IncidentFact(pk, sev, effect is None or effect.counts, hit, sec, crit)
            )
            evidence[pk] = {
                "kind": "incident",
                "id": pk,
                "year": year,
                "title": title,
                "date": on.isoformat(),
                "severity": sev,
                "role": role,
                "effect": effect.effect.value if effect else "counts",
                "outcome": effect.outcome if effect else None,
                "case_id": effect.case_id if effect else None,
                "unit_id": unit_id,
            }
        if area == TriggerArea.ENVIRONMENT:
            firing = rules.environment_trigger(facts, terms)
        elif area == TriggerArea.PARTY_BUILDING:
            firing = rules.party_trigger(facts, terms)
        else:
            rule = terms.work_safety if area == TriggerArea.WORK_SAFETY else terms.stability
            firing = rules.count_trigger(facts, rule, area)
        if firing:
            used = [evidence[pk] for pk in firing.evidence]
            found.append(
                Candidate(cadre_id, used[0]["unit_id"], area, used[0]["role"], firing.clause, used)
            )
    return found


# --------------------------------------------------------------- individual grades


def _grade_candidates(year: int, grades: frozenset[str], scope: Q) -> list[Candidate]:
    """Cadres whose annual grade of `year` the policy names (Jinan: 不称职): one query for
    the grades and two for the tolerance exemptions of those cadres in that year."""
    if not grades:
        return []
    rows = list(
        AnnualAssessment.objects.filter(scope, year=year, grade__in=sorted(grades)).values_list(
            "pk", "cadre_id", "unit_id", "grade", "exemption_reason"
        )
    )
    exempted = exemptions_in_year([r[1] for r in rows], year) if rows else {}
    found = []
    for pk, cadre_id, unit_id, grade, reason in rows:
        matters = exempted.get(cadre_id, [])
        firing = rules.incompetent_grade_trigger(
            grade, year, exempted_matters=len(matters), exemption_reason=reason, grades=grades
        )
        if firing is None:
            continue
        evidence = {"kind": "grade", "id": pk, "year": year, "grade": grade}
        if matters:
            evidence["exempted"] = [{"id": m.matter_id, "title": m.title} for m in matters]
            evidence["exemption_reason"] = reason
        found.append(
            Candidate(
                cadre_id, unit_id, TriggerArea.INCOMPETENT_GRADE, "", firing.clause, [evidence]
            )
        )
    return found


# --------------------------------------------------------------- the scan


def scan(year: int, *, authority: Authority | None = None, actor=None) -> ScanResult:
    """Create the proposals the triggers call for in `year` (within `authority`'s
    jurisdiction, or everywhere). Idempotent: existing (cadre, area, year) are skipped."""
    started = time.perf_counter()
    on = dt.date(year, 12, 31)
    # Each jurisdiction's units under its own version; the result names the authority's own
    # (or, for a scan everywhere, the first part's).
    own = policy_in_force(authority, on) if authority is not None else None
    parts = jurisdiction_partition(KIND, on)
    if not parts:
        raise PolicyNotInForce(policy_kind(KIND), authority, on)
    result = ScanResult(year=year, policy_id=own.pk if own else parts[0][0].pk)
    for policy, path, inner in parts:
        part = _scan_part(year, policy, path, inner, authority=authority, actor=actor)
        result.fired += part.fired
        result.created += part.created
        result.existing += part.existing
        result.proposal_ids += part.proposal_ids
    result.seconds = time.perf_counter() - started
    return result


def _part_scope(authority, path: str, inner: list[str], prefix: str) -> Q:
    q = _unit_scope(authority, prefix=prefix)
    if path:
        q &= Q(**{f"{prefix}path__startswith": path})
    for nested in inner:
        q &= ~Q(**{f"{prefix}path__startswith": nested})
    return q


def part_candidates(year, policy, path, inner, *, authority=None) -> list[Candidate]:
    """The candidates the triggers of `policy` call for in `year` among the units one
    jurisdiction's version governs (set-based, read-only: the scan and the impact report)."""
    terms = policy.terms
    unit_q = _part_scope(authority, path, inner, "unit__")

    by_unit: dict[int, list[tuple]] = defaultdict(list)
    parts = []  # only the trigger areas the measure has (Jinan's has none of seed 003's)
    if "target" in terms.areas:
        parts.append(_target_firings(year, terms, unit_q))
    if "monitoring" in terms.areas:
        parts.append(_monitoring_firings(year, terms, unit_q))
    if "poverty" in terms.areas:
        parts.append(_poverty_firings(year, unit_q))
    for part in parts:
        for unit_id, items in part.items():
            by_unit[unit_id].extend(items)
    leaders = principal_leaders(list(by_unit))
    candidates = [
        Candidate(cadre_id, unit_id, area, "principal", clause, evidence)
        for unit_id, items in by_unit.items()
        for area, clause, evidence in items
        for cadre_id in leaders.get(unit_id, [])
    ]
    candidates += _incident_candidates(
        year, terms, _part_scope(authority, path, inner, "incident__unit__")
    )
    candidates += _grade_candidates(year, policy.jinan.incompetent_grades, unit_q)
    return candidates


def _scan_part(year, policy, path, inner, *, authority, actor) -> ScanResult:
    """The scan of the units one jurisdiction's version governs."""
    candidates = part_candidates(year, policy, path, inner, authority=authority)
    result = ScanResult(year=year, policy_id=policy.pk, fired=len(candidates))
    if candidates:
        _create(candidates, year=year, policy=policy, authority=authority, actor=actor, out=result)
    return result


def _create(candidates, *, year, policy, authority, actor, out: ScanResult) -> None:
    cadre_ids = {c.cadre_id for c in candidates}
    # The cadres themselves, so that the audit rows' object_repr (Proposal.__str__ names the
    # cadre) costs no query per proposal.
    cadres = Cadre.objects.select_related("unit").in_bulk(cadre_ids)
    placements = {pk: (c.unit.path, c.management_level) for pk, c in cadres.items()}
    if authority is not None:
        levels = set(authority.management_levels)
        owners = {pk: authority.pk for pk, (_p, level) in placements.items() if level in levels}
    else:
        covering = covering_authority_ids(placements.values())
        owners = {pk: covering[pl] for pk, pl in placements.items() if covering[pl] is not None}
    with transaction.atomic():
        existing = set(
            Proposal.objects.filter(year=year, cadre_id__in=cadre_ids).values_list(
                "cadre_id", "area"
            )
        )
        new, seen = [], set()
        for c in candidates:
            key = (c.cadre_id, c.area)
            duplicate = key in existing or (c.cadre_id, SAME_GROUND.get(c.area)) in existing
            if duplicate or key in seen:
                out.existing += duplicate
                continue
            if c.cadre_id not in owners:
                continue
            seen.add(key)
            new.append(
                Proposal(
                    authority_id=owners[c.cadre_id],
                    cadre=cadres[c.cadre_id],
                    unit_id=c.unit_id,
                    area=c.area,
                    year=year,
                    role=c.role,
                    clause=c.clause,
                    policy=policy,
                    evidence=c.evidence,
                    created_by=actor if actor is not None and actor.pk else None,
                )
            )
        created = Proposal.objects.bulk_create(new, batch_size=2000)
        if created and created[0].pk is None:  # backends that return no ids
            created = list(
                Proposal.objects.filter(year=year, cadre_id__in=[p.cadre_id for p in new])
            )
        audit.record_many(
            "promotions.proposal.create",
            actor=actor,
            entries=[
                (p, None, {"area": p.area, "clause": p.clause, "policy": policy.pk})
                for p in created
            ],
            reason=f"scan {year}",
            authority_ids=[p.authority_id for p in created],
        )
    out.created = len(created)
    out.proposal_ids = [p.pk for p in created]
