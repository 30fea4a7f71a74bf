"""Demo up/down and incentives data (manage.py seed_demo_promotions), once, after the
other demo seeds: everything goes through the services, as the demo staff of the city
organization department (中共济南市委组织部) who would act at each step.

- `clerk` (intake clerk) runs the yearly scan over the years of seeded assessment evidence,
  proposes on a Jinan ground, drafts and submits exceptional promotions, executes
  adjustments, records commendations and allocates a top county's bonus;
- `investigator` starts the inspection and talk (考察谈话);
- `leader` (approving leader) decides proposals and approves an exceptional promotion.

When the scan fires nothing (no seeded evidence), a few proposals are made on staff
grounds instead, and the walk goes on with them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assessments.enums import Grade, RankGroup
from assessments.models import AnnualAssessment, MonitoringRank
from cadres.enums import AuthorityKind, CadreStatus, PostType
from cadres.models import Authority, Cadre, Unit
from cadres.permissions import jurisdiction_q
from core.enums import Role
from core.models import User
from promotions.enums import AdjustMethod, Decision, ExceptionalState, ProposalState, TriggerArea
from promotions.exceptional.services import check_cadre, exceptional_create, exceptional_transition
from promotions.grounds.services import proposal_propose
from promotions.incentives.access import can_allocate
from promotions.incentives.allocation import CENT, bonus_allocate, unit_bonus
from promotions.incentives.commendations import commendation_create
from promotions.incentives.enums import CommendationKind
from promotions.models import BonusAllocation, Commendation, ExceptionalRequest, Proposal
from promotions.policies import policy_in_force
from promotions.proposals.workflow import proposal_transition
from promotions.triggers.scan import scan

SCAN_YEARS = 5  # the last years of evidence the scan runs over
COMMENDATION_YEARS = 3
# Leadership ranks (cadres.enums.Rank) and the plain title a demotion to them gets.
LADDER_TITLES = {
    45: "副科级干部",
    65: "正科级干部",
    85: "副县级干部",
    105: "正县级干部",
    115: "副厅级干部",
    125: "正厅级干部",
}
CADRE_KINDS = (
    CommendationKind.COMMENDED,
    CommendationKind.MERIT_THIRD,
    CommendationKind.MERIT_SECOND,
)
TEAM_KINDS = (CommendationKind.OUTSTANDING, CommendationKind.TITLE)
LOGINS = {
    "clerk": Role.INTAKE_CLERK,
    "investigator": Role.INVESTIGATOR,
    "leader": Role.APPROVING_LEADER,
}


class MissingLogins(Exception):
    """The demo logins of seed_demo are missing or not staff of an organization department."""


@dataclass
class Staff:
    clerk: User
    investigator: User
    leader: User
    authority: Authority


def demo_staff() -> Staff:
    users = {u.username: u for u in User.objects.filter(username__in=list(LOGINS))}
    if set(users) != set(LOGINS) or not all(users[n].has_role(r) for n, r in LOGINS.items()):
        raise MissingLogins
    authority = (
        users["clerk"]
        .authorities.filter(kind=AuthorityKind.ORGANIZATION)
        .prefetch_related("root_units")
        .order_by("pk")
        .first()
    )
    if authority is None or not all(
        users[n].authorities.filter(pk=authority.pk).exists() for n in LOGINS
    ):
        raise MissingLogins
    return Staff(users["clerk"], users["investigator"], users["leader"], authority)


@dataclass
class Seeded:
    scanned: dict[int, int] = field(default_factory=dict)  # year → proposals the scan created
    by_ground: list[Proposal] = field(default_factory=list)  # the fallback, when none fired
    walked: dict[str, Proposal] = field(default_factory=dict)
    staff_proposal: Proposal | None = None
    requests: list[ExceptionalRequest] = field(default_factory=list)
    commendations: list[Commendation] = field(default_factory=list)
    allocations: list[BonusAllocation] = field(default_factory=list)


class DemoPromotions:
    def __init__(self, staff: Staff):
        self.staff = staff
        self.authority = staff.authority
        self.today = timezone.localdate()
        self.out = Seeded()

    # ------------------------------------------------------------- helpers

    def cadres(self):
        """Serving leadership cadres of the authority's jurisdiction, in a stable order."""
        return (
            Cadre.objects.filter(
                jurisdiction_q([self.authority]),
                status=CadreStatus.SERVING,
                post_type=PostType.LEADERSHIP,
            )
            .select_related("unit")
            .order_by("pk")
        )

    def evidence_years(self) -> list[int]:
        roots = Q(pk__in=[])
        for root in self.authority.root_units.all():
            roots |= Q(unit__path__startswith=root.path)
        years = sorted(set(AnnualAssessment.objects.filter(roots).values_list("year", flat=True)))
        if years:
            return years[-SCAN_YEARS:]
        return list(range(self.today.year - SCAN_YEARS, self.today.year))

    def listed(self, *codes: str) -> list[Cadre]:
        """Cadres on the demo's talent lists or pools (demo.cadres_data.TALENT_LISTS)."""
        return list(self.cadres().filter(memberships__talent_list__code__in=codes).distinct())

    def graded(self, year: int, grade: str) -> list[Cadre]:
        ids = AnnualAssessment.objects.filter(year=year, grade=grade).values_list("cadre_id")
        return list(self.cadres().filter(pk__in=ids))

    # ------------------------------------------------------------- the steps

    def build(self) -> Seeded:
        with transaction.atomic():
            years = self.evidence_years()
            self.run_scans(years)
            if not any(self.out.scanned.values()):
                self.propose_instead(years[-1])
            self.walk()
            self.staff_ground(years[-1])
            self.commend(years[-COMMENDATION_YEARS:])
            self.exceptional()
            self.allocate(years[-1])
            self.sign_documents()
        return self.out

    def sign_documents(self) -> None:
        """Each proposal's and decision's document, and the exceptional approval, drafted
        (as their tasks would, after the commit; they then do nothing), checked by the
        investigator and signed off by the leader, then issued."""
        from core.drafts import draft_issue, draft_transition
        from core.models import DocumentDraft, DraftState
        from promotions.exceptional.documents import issue_exceptional
        from promotions.proposals.documents import issue_for

        S = ProposalState
        for proposal in Proposal.objects.filter(
            authority=self.authority, state__in=(S.INSPECTING, S.DECIDED, S.EXECUTED)
        ).order_by("pk"):
            issue_for(proposal.pk, "proposal")
            if proposal.state != S.INSPECTING:
                issue_for(proposal.pk, "decision")
        for request in ExceptionalRequest.objects.filter(
            authority=self.authority, state=ExceptionalState.APPROVED
        ):
            issue_exceptional(request.pk)
        for draft in DocumentDraft.objects.filter(
            authority=self.authority, state=DraftState.DRAFTED
        ).order_by("pk"):
            draft = draft_transition(draft, actor=self.staff.investigator, action="check")
            draft = draft_transition(draft, actor=self.staff.leader, action="sign")
            draft_issue(draft.pk)

    def run_scans(self, years: list[int]) -> None:
        for year in years:
            result = scan(year, authority=self.authority, actor=self.staff.clerk)
            self.out.scanned[year] = result.created

    def propose_instead(self, year: int) -> None:
        """No trigger fired: three proposals on staff grounds, so there is something to walk."""
        grounds = (TriggerArea.UNFIT, TriggerArea.INCOMPETENT, TriggerArea.UNSUITABLE)
        for cadre, ground in zip(self.cadres()[:3], grounds, strict=False):
            self.out.by_ground.append(
                proposal_propose(
                    cadre,
                    actor=self.staff.clerk,
                    ground=ground,
                    year=year,
                    facts=f"{year}年度考核和日常考察中反映该同志履职不力，工作打不开局面。",
                    evidence=f"{year}年度考核民主测评结果\n日常考察谈话记录",
                )
            )

    def walk(self) -> None:
        """Four proposals of four cadres: two adjusted on an individual 不称职 grade and
        executed (two methods), one on a unit's result decided not to adjust (with the
        reason), one under inspection."""
        rows = list(
            Proposal.objects.filter(authority=self.authority)
            .select_related("cadre__unit")
            .order_by("-year", "pk")
        )

        def graded_first(p: Proposal) -> bool:
            return p.area != TriggerArea.INCOMPETENT_GRADE

        def unit_first(p: Proposal) -> bool:
            return p.area == TriggerArea.INCOMPETENT_GRADE

        seen: set[int] = set()
        for step, prefer in (
            ("non_leadership", graded_first),
            ("demote", graded_first),
            ("keep", unit_first),
            ("inspect", graded_first),
        ):
            proposal = next((p for p in sorted(rows, key=prefer) if p.cadre_id not in seen), None)
            if proposal is None:
                return
            seen.add(proposal.cadre_id)
            proposal = proposal_transition(
                proposal, actor=self.staff.investigator, action="inspect"
            )
            if step == "keep":
                proposal = proposal_transition(
                    proposal,
                    actor=self.staff.leader,
                    action="decide",
                    changes={
                        "decision": Decision.KEEP,
                        "reason": (
                            "经考察谈话，任务未完成主要受客观因素影响，本人已作深刻检查并制定整改措施，"
                            "暂不作调整，责令限期整改。"
                        ),
                    },
                )
            elif step != "inspect":
                proposal = self.adjust(proposal, step)
            self.out.walked[step] = proposal

    def adjust(self, proposal: Proposal, method: str) -> Proposal:
        proposal = proposal_transition(
            proposal,
            actor=self.staff.leader,
            action="decide",
            changes={"decision": Decision.ADJUST, "method": method},
        )
        cadre = proposal.cadre
        if method == AdjustMethod.DEMOTE:
            rank = max((r for r in LADDER_TITLES if r < cadre.rank), default=cadre.rank)
            title = f"{cadre.unit.name}{LADDER_TITLES.get(rank, '干部')}"
        else:
            rank, title = cadre.rank, f"{cadre.unit.name}二级调研员"
        return proposal_transition(
            proposal,
            actor=self.staff.clerk,
            action="execute",
            changes={
                "title": title,
                "rank": rank,
                "on": self.today,
                "document_ref": f"济组干〔{self.today.year}〕{proposal.pk}号",
            },
        )

    def staff_ground(self, year: int) -> None:
        """One proposal on a Jinan ground (不胜任现职): a cadre graded 基本称职, else the first
        cadre without a proposal that year."""
        taken = set(Proposal.objects.filter(year=year).values_list("cadre_id", flat=True))
        candidates = self.graded(year, Grade.BASIC) + list(self.cadres()[:50])
        cadre = next(c for c in candidates if c.pk not in taken)
        self.out.staff_proposal = proposal_propose(
            cadre,
            actor=self.staff.clerk,
            ground=TriggerArea.UNFIT,
            year=year,
            facts=(
                f"{year}年度考核为基本称职，分管领域重点任务连续两个季度未按期完成，"
                "民主测评“不胜任”票超过三分之一。"
            ),
            evidence=f"{year}年度考核结果通知\n季度工作任务督查通报\n民主测评统计表",
        )

    def commend(self, years: list[int]) -> None:
        """Each year: a 出彩型 cadre, another commended cadre, a commended team. Cadres
        graded 优秀 that year come first, then those on the 出彩型 list (for the naming) or
        in the lion and expert pools (for the others), then anyone serving; never a cadre
        proposed for adjustment."""
        clerk = self.staff.clerk
        used = set(Proposal.objects.values_list("cadre_id", flat=True))  # no praise for them
        everyone = list(self.cadres())
        named_list, pools = self.listed("outstanding"), self.listed("lion", "expert")
        teams = list(
            Unit.objects.filter(pk__in=self.cadres().values("unit_id")).order_by("path")[
                : len(years)
            ]
        )
        for index, year in enumerate(years):
            excellent = self.graded(year, Grade.EXCELLENT)
            people = []
            for preferred in (named_list, pools):
                person = next(c for c in excellent + preferred + everyone if c.pk not in used)
                used.add(person.pk)
                people.append(person)
            granted_on = min(dt.date(year + 1, 1, 20), self.today)  # named early next year
            kinds = (CommendationKind.OUTSTANDING, CADRE_KINDS[index % len(CADRE_KINDS)])
            for number, (cadre, kind) in enumerate(zip(people, kinds, strict=False), start=1):
                self.out.commendations.append(
                    commendation_create(
                        actor=clerk,
                        kind=kind,
                        year=year,
                        granted_on=granted_on,
                        granted_by="中共济南市委"
                        if kind == CommendationKind.OUTSTANDING
                        else "济南市人民政府",
                        citation=f"{year}年度工作实绩突出，敢于担当、善于作为。",
                        document_ref=f"济发〔{granted_on.year}〕{number}号",
                        cadre=cadre,
                    )
                )
            if index < len(teams):
                unit = teams[index]
                kind = TEAM_KINDS[index % len(TEAM_KINDS)]
                self.out.commendations.append(
                    commendation_create(
                        actor=clerk,
                        kind=kind,
                        year=year,
                        granted_on=granted_on,
                        granted_by="中共济南市委",
                        citation=f"{year}年度班子团结有力，重点工作走在全市前列。",
                        document_ref=f"济发〔{granted_on.year}〕{len(kinds) + 1}号",
                        unit=unit,
                        team_name=f"{unit.name}领导班子",
                    )
                )

    def exceptional(self) -> None:
        """Two requests: a 出彩型 cadre (the latest named, when the thresholds let them)
        approved, another cadre submitted. One step up with the years in rank waived when
        a cadre is short of them (as in the seed's example), else two steps (越级, waived)."""
        policy = policy_in_force(self.authority, self.today)
        proposed = set(Proposal.objects.values_list("cadre_id", flat=True))
        named = [
            c.cadre
            for c in reversed(self.out.commendations)
            if c.cadre and c.kind == CommendationKind.OUTSTANDING
        ]
        everyone = list(self.cadres())
        plan = (("chucai", "approve", [named, everyone]), ("outstanding_results", "", [everyone]))
        for situation, action, groups in plan:
            found = self.pick(groups, situation, policy, skip=proposed)
            if found is None:
                continue
            cadre, target = found
            proposed.add(cadre.pk)
            request = exceptional_create(
                cadre,
                actor=self.staff.clerk,
                target_title=f"{cadre.unit.name}主要负责人",
                target_rank=target,
                situation=situation,
                reasons="近年来在重大项目攻坚中实绩突出，群众公认度高，工作急需。",
            )
            request = exceptional_transition(request, actor=self.staff.clerk, action="submit")
            if action:
                request = exceptional_transition(
                    request,
                    actor=self.staff.leader,
                    action=action,
                    reason="经部务会研究，同意破格提拔。",
                )
            self.out.requests.append(request)

    def pick(self, groups, situation, policy, *, skip) -> tuple[Cadre, int] | None:
        """The first cadre (by group, then one step before two) whose request could be
        submitted: something waived, nothing blocking."""
        ladder = [r for r in policy.jinan.exceptional.ladder if r in LADDER_TITLES]
        for group in groups:
            for step in (0, 1):
                for cadre in group:
                    above = [r for r in ladder if r > cadre.rank]
                    if cadre.pk in skip or len(above) <= step:
                        continue
                    check = check_cadre(
                        cadre,
                        target_rank=above[step],
                        situation_code=situation,
                        policy=policy,
                        as_of=self.today,
                    )
                    if check.submittable:
                        return cadre, above[step]
        return None

    def allocate(self, year: int) -> None:
        """The best-ranked county with a bonus: part of it to its two leading cadres."""
        ranks = (
            MonitoringRank.objects.filter(year=year, group=RankGroup.COUNTY)
            .select_related("unit")
            .order_by("rank")
        )
        for row in ranks:
            computed = unit_bonus(row.unit, year)
            if computed is None or computed.bonus.amount == 0:
                continue
            if not can_allocate(self.staff.clerk, row.unit):
                continue
            people = list(
                Cadre.objects.filter(unit=row.unit, status=CadreStatus.SERVING).order_by(
                    "-rank", "pk"
                )[:2]
            )
            for cadre, share in zip(people, (Decimal("0.3"), Decimal("0.2")), strict=False):
                self.out.allocations.append(
                    bonus_allocate(
                        row.unit,
                        actor=self.staff.clerk,
                        year=year,
                        cadre=cadre,
                        amount=(computed.yuan * share).quantize(CENT),
                        reason=f"{year}年度县域监测排名第{row.rank}名奖励，按贡献分配到人",
                    )
                )
            return


def already_seeded() -> bool:
    return Proposal.objects.exists() or Commendation.objects.exists()


def states() -> dict[str, int]:
    """Proposals per state (for the command's summary)."""
    found = dict.fromkeys(ProposalState.values, 0)
    for state in Proposal.objects.values_list("state", flat=True):
        found[state] += 1
    return found
