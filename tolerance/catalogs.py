"""Default policy content per jurisdiction, as plain frozen data.

A later seed migration loads these into versioned policy records; the rules in
`tolerance/rules.py` read them through a `Policy` (the shapes are in tolerance.policy_types).
Nothing here touches the database.

Honesty about provenance: every situation, distinction, condition and exclusion carries a
`confidence`:

* ``"seed"`` — the wording is taken from one of the project's seed documents
  (`/work/shared/seeds/`), which quote the measure.
* ``"public_text"`` — the wording is paraphrased from a public report that quotes the measure
  (URL in `evidence`), not from the measure itself.
* ``"reconstructed"`` — the measure's own wording was not found. The entry is a plausible
  paraphrase modelled on similar public measures (named in `evidence`). It must be checked
  against the official document before it is used to judge a real case.

Texts are policy content in Chinese (data, shown as written), not UI strings.
Procedure numbers that no seed gives are marked ``"default_chosen"`` in `PROCEDURE_BASIS`.
"""

from __future__ import annotations

from fractions import Fraction
from types import MappingProxyType

from .enums import Outcome, PublicationScope
from .policy_types import (
    Basis,
    Condition,
    Distinction,
    Exclusion,
    Policy,
    ProcedureParameters,
    RepeatedErrors,
    Situation,
    Source,
)

# ── Sources ──────────────────────────────────────────────────────────────────────────────

SHAANXI_SOURCE = Source(
    title="陕西省党政干部容错纠错办法（试行）",
    issuer="中共陕西省委办公厅",
    date="2016",
    note=(
        "Issued in June/July 2016 with the other two of the 'three mechanisms' (seed 003; "
        "华商报 2016-07-12). A revised version was issued in December 2018 "
        "(http://xyctgroup.com/article.asp?id=3168) and belongs in a later catalog version."
    ),
)
GUANYUN_SOURCE = Source(
    title="关于激励干部干事创业担当作为的实施意见",
    issuer="中共灌云县委",
    date="",
    note="Named in seed 001 (群众 magazine, by the county's head of organization); no date given.",
)
THREE_DISTINCTIONS_SOURCE = Source(
    title="三个区分开来（陕西省党政干部容错纠错办法（试行）所引）",
    issuer="中共陕西省委办公厅",
    date="2016",
)
JINAN_SOURCE = Source(
    title="济南市支持党员干部干事创业容错免责实施办法",
    issuer="中共济南市委",
    date="2016",
    note="Seed 000 (新华社 2018-09-13) quotes the four conditions; the exact title is not quoted.",
)
ZHEJIANG_SOURCE = Source(
    title="关于进一步激励干部新时代新担当新作为 奋力推进“两个高水平”建设的实施意见",
    issuer="中共浙江省委",
    date="2018",
)

SEED_003 = "seed 003 (陕西三项机制内容), 容错纠错办法 section"
SHAANXI_NEWS = (
    "public_text: https://78911.com.cn/SiXiangXueXi/625619-2.html (reprint of the 2016 news "
    "report '给干部干事创新买份意外保险'; lists six of the eleven situations); the count of 11 is "
    "confirmed by 华商报 2016-07-12, http://101.201.78.234/news/view?id=9496"
)
XINZHOU = (
    "reconstructed after 忻州市支持干部改革创新合理容错实施办法（试行）, "
    "http://m.mrlikoucai.com/info/1286/168961_4.htm (a comparable provincial-pattern list)"
)
GENERIC = (
    "reconstructed: the measure's wording was not found; modelled on common county/city "
    "catalogues (e.g. 韩城市, 蓝田县 implementations of the Shaanxi measure)"
)

# ── Shaanxi: 11 situations ───────────────────────────────────────────────────────────────

SHAANXI_SITUATIONS: tuple[Situation, ...] = (
    Situation(
        "SX-01",
        "在落实党委、政府决策部署中出现工作失误和偏差，但经过民主决策程序，没有为个人、他人或"
        "单位谋取私利，且积极主动消除影响或挽回损失的",
        SHAANXI_SOURCE,
        "seed",
        SEED_003,
    ),
    Situation(
        "SX-02",
        "在推进改革和体制机制创新中，因缺乏经验、先行先试出现探索性失误或未达到预期效果的",
        SHAANXI_SOURCE,
        "seed",
        SEED_003,
    ),
    Situation(
        "SX-03",
        "法律、法规没有明令禁止，因政策界限不明确或不可知的因素，在创造性开展工作中出现失误或"
        "造成影响和损失的",
        SHAANXI_SOURCE,
        "seed",
        SEED_003,
    ),
    Situation(
        "SX-04",
        "在推动重大项目和重点工作中，因大胆履职、大力推进出现一定失误或引发矛盾的",
        SHAANXI_SOURCE,
        "public_text",
        SHAANXI_NEWS,
    ),
    Situation(
        "SX-05",
        "在服务企业、服务群众中，为提高效率实行容缺受理、容缺审查，出现一定失误或偏差的",
        SHAANXI_SOURCE,
        "public_text",
        SHAANXI_NEWS,
    ),
    Situation(
        "SX-06",
        "因国家政策调整或上级党委、政府决策部署变化，工作未达到预期效果或造成负面影响和损失的",
        SHAANXI_SOURCE,
        "public_text",
        SHAANXI_NEWS,
    ),
    Situation(
        "SX-07",
        "在处置突发事件、抢险救灾等急难险重任务中主动担当作为，因客观条件限制或无意过失出现失误的",
        SHAANXI_SOURCE,
        "reconstructed",
        XINZHOU,
    ),
    Situation(
        "SX-08",
        "在化解矛盾纠纷、解决历史遗留问题中，因触及固有利益、破除障碍而引发矛盾或出现失误的",
        SHAANXI_SOURCE,
        "reconstructed",
        XINZHOU,
    ),
    Situation(
        "SX-09",
        "在脱贫攻坚、生态环境保护等重点任务中探索新办法新举措，出现一定失误或未达到预期效果的",
        SHAANXI_SOURCE,
        "reconstructed",
        GENERIC,
    ),
    Situation(
        "SX-10",
        "在招商引资、争取项目等工作中出于公心推动发展，出现一定失误但未造成重大损失的",
        SHAANXI_SOURCE,
        "reconstructed",
        GENERIC,
    ),
    Situation(
        "SX-11",
        "其他符合“三个区分开来”要求、经集体研究认定可以容错的情形",
        SHAANXI_SOURCE,
        "reconstructed",
        GENERIC + "; catch-all clause",
    ),
)

# ── Guanyun county: 18 situations ────────────────────────────────────────────────────────

GUANYUN_BASIS = (
    "reconstructed: seed 001 states only that the measure lists 18 situations and separates "
    "失误/失职, 违规/违纪, 为公/为私; no public text of the list was found. Wording modelled on "
    "county catalogues"
)
GUANYUN_FROM_SEED_WORK = GUANYUN_BASIS + "; the field of work is one seed 001 names for Guanyun"


def _gy(number: int, text: str, evidence: str = GUANYUN_BASIS) -> Situation:
    return Situation(f"GY-{number:02d}", text, GUANYUN_SOURCE, "reconstructed", evidence)


GUANYUN_SITUATIONS: tuple[Situation, ...] = (
    _gy(1, "在落实县委、县政府决策部署中，经集体研究决策出现失误或偏差，且积极挽回损失的"),
    _gy(2, "在推进改革创新、先行先试中，因缺乏经验出现探索性失误或未达到预期效果的"),
    _gy(3, "法律法规和政策没有明确禁止，因政策界限不明确，在创造性开展工作中出现失误的"),
    _gy(4, "在推进重点项目、重大工程建设中，因大胆履职、加快推进出现一定失误或引发矛盾的"),
    _gy(
        5,
        "在棚户区改造、征收拆迁中依法依规大胆作为，因情况复杂出现一定失误或引发矛盾的",
        GUANYUN_FROM_SEED_WORK,
    ),
    _gy(6, "在招商引资、项目落地中为争取项目出现一定失误，但出于公心、未谋取私利的"),
    _gy(7, "在服务企业、服务群众中，为提高效率实行容缺受理、并联审批出现一定失误的"),
    _gy(8, "在处置突发事件、抢险救灾等急难险重任务中主动担当，因客观原因出现失误的"),
    _gy(9, "在化解信访矛盾、解决历史遗留问题中，因触及固有利益引发矛盾或出现失误的"),
    _gy(10, "在脱贫攻坚、精准扶贫中为完成目标任务探索新举措，出现一定失误的"),
    _gy(
        11,
        "在“四城同创”等重点创建工作中为推进进度大胆作为，出现一般性失误的",
        GUANYUN_FROM_SEED_WORK,
    ),
    _gy(
        12,
        "在村党组织书记薪酬体系改革等基层改革试点中，因缺乏经验出现失误或未达到预期效果的",
        GUANYUN_FROM_SEED_WORK,
    ),
    _gy(13, "因上级政策调整或决策部署变化，导致工作未达到预期效果或造成损失的"),
    _gy(14, "因不可抗力或难以预见的客观因素，导致工作未达到预期目标的"),
    _gy(
        15, "在履行监管、执法职责中已按规定程序尽职履责，因监管对象故意隐瞒等原因未能及时发现问题的"
    ),
    _gy(16, "在国有资产运营、投融资改革中按规定程序决策，因市场风险等客观因素造成损失的"),
    _gy(17, "执行集体决策时，本人已明确提出不同意见并记录在案，集体决策出现失误的"),
    _gy(18, "其他确属失误而非失职、违规而非违纪、为公而非为私，经集体研究认定可以容错的情形"),
)

GUANYUN_SEPARATIONS: tuple[tuple[str, str], ...] = (
    ("失误", "失职"),
    ("违规", "违纪"),
    ("为公", "为私"),
)

# ── The three distinctions (seed 003 wording) ────────────────────────────────────────────

DISTINCTIONS: tuple[Distinction, ...] = (
    Distinction(
        "D1",
        "在推进改革中因缺乏经验、先行先试出现的失误和错误",
        "明知故犯的违纪违法行为",
        THREE_DISTINCTIONS_SOURCE,
        "seed",
        SEED_003,
    ),
    Distinction(
        "D2",
        "上级尚无明确限制的探索性试验中的失误和错误",
        "上级明令禁止后依然我行我素的违纪违法行为",
        THREE_DISTINCTIONS_SOURCE,
        "seed",
        SEED_003,
    ),
    Distinction(
        "D3",
        "为推动发展的无意过失",
        "为谋取私利的违纪违法行为",
        THREE_DISTINCTIONS_SOURCE,
        "seed",
        SEED_003,
    ),
)

# ── Jinan's four conditions (seed 000) ───────────────────────────────────────────────────

SEED_000 = "seed 000 (新华社 2018-09-13, 山东济南：容错免责正向激励…)"

CONDITIONS: tuple[Condition, ...] = (
    Condition("C1", "法律法规没有明令禁止", JINAN_SOURCE, "seed", SEED_000),
    Condition("C2", "符合中央大政方针和省、市党委政府决策精神", JINAN_SOURCE, "seed", SEED_000),
    Condition("C3", "按照实际情况经过民主决策", JINAN_SOURCE, "seed", SEED_000),
    Condition("C4", "没有为自己、他人或单位谋取私利", JINAN_SOURCE, "seed", SEED_000),
)

# ── Exclusions ───────────────────────────────────────────────────────────────────────────

EXCLUSIONS: tuple[Exclusion, ...] = (
    Exclusion(
        "X1",
        "为自己、他人或单位谋取私利的",
        THREE_DISTINCTIONS_SOURCE,
        "seed",
        "seed 003 (D3 non-tolerable side; 未谋取私利 in the definition) and seed 000 (C4)",
        distinction="D3",
        condition="C4",
    ),
    Exclusion(
        "X2",
        "明知故犯、违纪违法的",
        THREE_DISTINCTIONS_SOURCE,
        "seed",
        SEED_003 + " (D1 non-tolerable side)",
        distinction="D1",
    ),
    Exclusion(
        "X3",
        "上级明令禁止后依然我行我素的",
        THREE_DISTINCTIONS_SOURCE,
        "seed",
        SEED_003 + " (D2 non-tolerable side)",
        distinction="D2",
    ),
    Exclusion(
        "X4",
        "重复出现同样失误或过错的（不可抗拒等特殊情况除外）",
        ZHEJIANG_SOURCE,
        "public_text",
        "DOMAIN.md attributes 'repeated errors are not tolerated' to seed 002, whose text only "
        "says 有错必纠、有过必改; explicit wording from 大理州 (人民日报 2019-06-21), "
        "http://dangjian.people.com.cn/n1/2019/0621/c117092-31172179.html",
    ),
    Exclusion(
        "X5",
        "发生重大安全责任事故的（办法将其排除在容错之外时）",
        SHAANXI_SOURCE,
        "public_text",
        "韩城市 implementation of the Shaanxi measure: '（重大安全责任事故除外）', "
        "https://hancheng.qinfeng.gov.cn/info/1019/6395.htm; Zhejiang 2016 excludes safety "
        "accidents, http://49.213.3.36/doc/239_13430_104455554_1.html",
    ),
    Exclusion(
        "X6",
        "拿容错当“保护伞”、搞纪律“松绑”，超出纪律红线、法律底线的",
        ZHEJIANG_SOURCE,
        "seed",
        "seed 002 (浙江在线 2018-08-24)",
    ),
)

# ── Procedure defaults ───────────────────────────────────────────────────────────────────

DEFAULT_PROCEDURE = ProcedureParameters(
    acceptance_days=5,
    investigation_days=30,
    investigation_extension_days=15,
    decision_days=10,
    feedback_days=5,
    appeal_window_days=15,
    published_outcomes=(Outcome.EXEMPT.value,),
    publication_scopes=tuple(PublicationScope.values),
    default_publication_scope=PublicationScope.UNIT.value,
    quorum=Fraction(2, 3),
    majority=Fraction(1, 2),
    majority_base="present",
    reminder_days=2,
)

PROCEDURE_BASIS: MappingProxyType[str, tuple[Basis, str]] = MappingProxyType(
    {
        "acceptance_days": ("default_chosen", "No seed gives a number; 5 working days is usual."),
        "investigation_days": ("default_chosen", "No seed gives a number; 30 working days."),
        "investigation_extension_days": (
            "default_chosen",
            "One extension of 15 working days for complex matters.",
        ),
        "decision_days": (
            "default_chosen",
            "10 working days from the investigation report to the collective decision.",
        ),
        "feedback_days": (
            "default_chosen",
            "Seed 003 requires feedback to the applicant but no deadline; 5 working days.",
        ),
        "appeal_window_days": (
            "default_chosen",
            "No seed mentions review of the conclusion; 15 working days from receipt.",
        ),
        "published_outcomes": ("seed", "Seed 003: 属于免责的，在一定范围内公开."),
        "publication_scopes": (
            "default_chosen",
            "Seed 003 says only 'within a certain scope'; unit, system or public.",
        ),
        "default_publication_scope": (
            "default_chosen",
            "The narrowest scope unless the committee chooses wider.",
        ),
        "quorum": ("default_chosen", "At least two thirds of the members present."),
        "majority": ("default_chosen", "More than half."),
        "majority_base": (
            "default_chosen",
            "Of those present. Party committees deciding on cadres count all members "
            "(应到会成员); set 'members' where the measure says so.",
        ),
        "reminder_days": (
            "default_chosen",
            "No seed mentions reminders; the people responsible are reminded 2 working days "
            "before a due date.",
        ),
    }
)

# ── Policies ─────────────────────────────────────────────────────────────────────────────

SHAANXI_CONDITIONS: tuple[Condition, ...] = (
    Condition("SC1", "符合法律法规和政策规定", SHAANXI_SOURCE, "seed", SEED_003 + " (definition)"),
    Condition("SC2", "勤勉尽责", SHAANXI_SOURCE, "seed", SEED_003 + " (definition)"),
    Condition(
        "SC3",
        "未为个人、他人或单位谋取私利",
        SHAANXI_SOURCE,
        "seed",
        SEED_003 + " (definition; first situation)",
    ),
)

THREE = EXCLUSIONS[:3]  # the non-tolerable sides of the three distinctions

SHAANXI_2016 = Policy(
    code="shaanxi-2016",
    jurisdiction="陕西省",
    source=SHAANXI_SOURCE,
    situations=SHAANXI_SITUATIONS,
    distinctions=DISTINCTIONS,
    conditions=SHAANXI_CONDITIONS,
    exclusions=(
        Exclusion(
            "X1",
            "为自己、他人或单位谋取私利的",
            THREE_DISTINCTIONS_SOURCE,
            "seed",
            "seed 003 (D3 non-tolerable side; 未谋取私利 in the definition)",
            distinction="D3",
            condition="SC3",
        ),
        *EXCLUSIONS[1:3],
        EXCLUSIONS[4],
    ),
    procedure=DEFAULT_PROCEDURE,
)

JINAN_SITUATION = Situation(
    "JN-01",
    "在干事创业中出现失误和错误，同时符合四项条件的",
    JINAN_SOURCE,
    "seed",
    SEED_000 + ": 只要符合…4项条件…符合容错情形的; the measure's list of situations is not quoted",
)

JINAN_2016 = Policy(
    code="jinan-2016",
    jurisdiction="济南市",
    source=JINAN_SOURCE,
    situations=(JINAN_SITUATION,),
    distinctions=DISTINCTIONS,
    conditions=CONDITIONS,
    exclusions=THREE,
    procedure=DEFAULT_PROCEDURE,
)

GUANYUN = Policy(
    code="guanyun",
    jurisdiction="灌云县",
    source=GUANYUN_SOURCE,
    situations=GUANYUN_SITUATIONS,
    distinctions=DISTINCTIONS,
    conditions=(
        Condition(
            "GC1",
            "属于失误而非失职、违规而非违纪、为公而非为私",
            GUANYUN_SOURCE,
            "seed",
            "seed 001: strictly separates 失误/失职, 违规/违纪, 为公/为私",
        ),
    ),
    exclusions=(
        Exclusion(
            "X1",
            "为自己、他人或单位谋取私利的",
            THREE_DISTINCTIONS_SOURCE,
            "seed",
            "seed 001 (为公/为私) and the three distinctions (D3)",
            distinction="D3",
        ),
        *EXCLUSIONS[1:3],
    ),
    procedure=DEFAULT_PROCEDURE,
    separations=GUANYUN_SEPARATIONS,
)

ZHEJIANG_SITUATION = Situation(
    "ZJ-01",
    "属于本部门容错正面清单所列情形的",
    ZHEJIANG_SOURCE,
    "seed",
    "seed 002: 省直部门结合职能特点建立容错正面清单和不担当不作为负面清单; the lists "
    "themselves are per department and not quoted",
)

ZHEJIANG_2018 = Policy(
    code="zhejiang-2018",
    jurisdiction="浙江省",
    source=ZHEJIANG_SOURCE,
    situations=(ZHEJIANG_SITUATION,),
    distinctions=DISTINCTIONS,
    conditions=(
        Condition(
            "ZC1",
            "在纪律红线、法律底线内进行",
            ZHEJIANG_SOURCE,
            "seed",
            "seed 002: 确保容错在纪律红线、法律底线内进行",
        ),
    ),
    exclusions=(*THREE, EXCLUSIONS[3], EXCLUSIONS[5]),
    procedure=DEFAULT_PROCEDURE,
    repeated_errors=RepeatedErrors(exclusion="X4", look_back_years=3, effect="refuse"),
)

POLICIES: MappingProxyType[str, Policy] = MappingProxyType(
    {policy.code: policy for policy in (SHAANXI_2016, JINAN_2016, GUANYUN, ZHEJIANG_2018)}
)
