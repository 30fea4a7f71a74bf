"""Demo petitions and a prevention filing for the city organization department's logins.

Built through the services (audit rows, numbered notice), like a real handling officer would:
an unfounded report clarified at a rehabilitation meeting with its notice issued, a false
accusation with the result on the accuser, one under verification and one just received.
"""

from __future__ import annotations

import datetime as dt

from cadres.models import Cadre
from cadres.permissions import jurisdiction_q
from clarifications import filings, services
from clarifications.documents import clarification_issue_notice
from clarifications.enums import Channel, ClarificationMethod, PetitionOutcome, RiskLevel
from clarifications.models import Petition
from clarifications.permissions import filing_authority_ids, handling_authority_ids
from core.models import User


def _sign_notice(clarification, handler: User) -> None:
    """The notice's draft (opened as the task would, after the commit) checked by another
    staff member of the authority and signed off by its approving leader, then issued. With
    nobody to check or sign, the draft waits, as it would in the office."""
    from clarifications.documents import issue_notice
    from core.drafts import draft_issue, draft_transition, drafts_of
    from core.enums import Role
    from core.models import DraftState

    issue_notice(clarification.pk, actor=handler)
    authority_id = clarification.petition.authority_id
    staff = User.objects.filter(is_active=True, authorities=authority_id).exclude(pk=handler.pk)
    checker = staff.filter(groups__name=Role.INTAKE_CLERK).order_by("id").first()
    leader = staff.filter(groups__name=Role.APPROVING_LEADER).order_by("id").first()
    draft = drafts_of(clarification).filter(state=DraftState.DRAFTED).first()
    if draft is None or checker is None or leader is None:
        return
    draft = draft_transition(draft, actor=checker, action="check")
    draft = draft_transition(draft, actor=leader, action="sign")
    draft_issue(draft.pk)


def seed_petitions(handler: User) -> list[Petition]:
    from cadres.models import Authority

    authority = Authority.objects.get(pk=min(handling_authority_ids(handler)))
    cadres = list(
        Cadre.objects.filter(jurisdiction_q([authority])).select_related("unit").order_by("id")[:4]
    )
    if len(cadres) < 4:
        raise ValueError("the demo needs four cadres managed by the handler's authority")
    year = dt.date.today().year
    day = dt.date(year, 1, 1)

    def received(cadre, offset: int, allegations: str, **kw) -> Petition:
        return services.petition_create(
            actor=handler, authority=authority, received_on=day + dt.timedelta(days=offset),
            channel=kw.pop("channel", Channel.LETTER), cadre=cadre, allegations=allegations,
            **kw,
        )

    def verified(petition: Petition, offset: int) -> Petition:
        return services.petition_record_verification(
            petition, actor=handler, explanation_heard_on=day + dt.timedelta(days=offset),
            explanation="本人对反映事项作了书面说明，并提供了会议纪要等材料。",
            opinions="走访所在单位班子成员及相关干部群众八人，调阅相关档案。",
            findings="反映问题与事实不符。",
        )

    unfounded = verified(received(
        cadres[0], 9, "反映其在招商项目中为特定企业谋取利益。",
        informant_name="王某某", informant_contact="0531-0000000",
    ), 20)
    unfounded = services.petition_conclude(
        unfounded, actor=handler, outcome=PetitionOutcome.UNFOUNDED,
        concluded_on=day + dt.timedelta(days=35), reason="经核查，反映问题查无实据。",
    )
    clarification = services.clarification_record(
        unfounded, actor=handler, method=ClarificationMethod.REHABILITATION_MEETING,
        held_on=day + dt.timedelta(days=42), scope="所在单位领导班子及中层以上干部",
        attendees="单位班子成员、中层干部共36人",
        content=f"经核查，反映{cadres[0].name}同志在招商项目中为特定企业谋取利益问题查无实据，"
                "予以澄清正名。",
    )
    clarification_issue_notice(clarification, actor=handler)
    _sign_notice(clarification, handler)

    false = verified(received(
        cadres[1], 30, "反映其违规提拔使用干部。", channel=Channel.ONLINE,
        informant_name="李某", informant_contact="网络举报平台实名",
    ), 40)
    false = services.petition_conclude(
        false, actor=handler, outcome=PetitionOutcome.FALSE_ACCUSATION,
        concluded_on=day + dt.timedelta(days=55), reason="经核查，举报人捏造事实，系诬告陷害。",
        referred_to="市纪委监委",
    )
    services.petition_record_accuser_result(
        false, actor=handler, result="市纪委监委已对举报人立案调查，给予党内严重警告处分。",
        recorded_on=day + dt.timedelta(days=80),
    )
    verifying = verified(received(
        cadres[2], 60, "反映其工作作风粗暴。", channel=Channel.VISIT, anonymous=True
    ), 70)
    just_in = received(cadres[3], 90, "反映其在防汛工作中履职不力。", channel=Channel.PHONE,
                       informant_name="赵某")
    return [unfounded, false, verifying, just_in]


def seed_filing(handler: User, unit) -> None:
    from cadres.models import Authority

    authority = Authority.objects.get(pk=min(filing_authority_ids(handler)))
    year = dt.date.today().year
    filings.filing_create(
        actor=handler, authority=authority, unit=unit,
        measure="开发区“标准地+承诺制”供地改革",
        description="工业用地出让前完成区域评估，企业承诺达标即可开工。",
        risk_level=RiskLevel.values[-1],
        risk_assessment="可能出现企业未按承诺投产、土地闲置等风险；已设违约收回条款。",
        argument="组织发改、自然资源、法制等部门及专家论证，形成论证意见。",
        argued_on=dt.date(year, 2, 10), filed_on=dt.date(year, 2, 20),
        approving_body="市委全面深化改革委员会办公室", filing_ref=f"济改备〔{year}〕3号",
    )
