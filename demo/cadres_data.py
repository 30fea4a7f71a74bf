"""Static tables for the demo data set (see the seed_demo command): a slice of Shandong.

Place names are real units of Jinan; people are invented. Nothing here touches the database.
"""

from __future__ import annotations

from cadres.enums import ManagementLevel, PostType, Rank, UnitKind

ROOT_CODE = "37"
ROOT_NAME = "山东省"
CITY_CODE = "3701"
CITY_NAME = "济南市"

L, N = PostType.LEADERSHIP, PostType.NON_LEADERSHIP

# Comparison categories (同类同比): key → (name, description).
CATEGORIES = {
    "county": ("县（市）", "县和县级市，参加县域经济社会发展监测排名"),
    "district": ("城区", "市辖区，单独排名"),
    "town1": ("乡镇一类", "经济总量较大的镇"),
    "town2": ("乡镇二类", "以农业为主的镇"),
    "street": ("街道", "城市街道办事处"),
    "park": ("园区", "开发区、功能区"),
    "county_dept": ("县直部门", "县（区）直机关部门"),
    "city_dept": ("市直部门", "市直机关部门"),
    "city_body": ("市属企事业单位", "市属国有企业和高等院校"),
}

# Directly under the city: (code suffix, name, head title, kind, category key).
CITY_UNITS = [
    ("D01", "济南市委组织部", "部长", UnitKind.DEPARTMENT, "city_dept"),
    ("D02", "济南市委宣传部", "部长", UnitKind.DEPARTMENT, "city_dept"),
    ("D03", "济南市发展改革委", "主任", UnitKind.DEPARTMENT, "city_dept"),
    ("D04", "济南市财政局", "局长", UnitKind.DEPARTMENT, "city_dept"),
    ("D05", "济南市教育局", "局长", UnitKind.DEPARTMENT, "city_dept"),
    ("D06", "济南市自然资源和规划局", "局长", UnitKind.DEPARTMENT, "city_dept"),
    ("D07", "济南市生态环境局", "局长", UnitKind.DEPARTMENT, "city_dept"),
    ("D08", "济南市住房城乡建设局", "局长", UnitKind.DEPARTMENT, "city_dept"),
    ("D09", "济南市交通运输局", "局长", UnitKind.DEPARTMENT, "city_dept"),
    ("D10", "济南市农业农村局", "局长", UnitKind.DEPARTMENT, "city_dept"),
    ("D11", "济南市商务局", "局长", UnitKind.DEPARTMENT, "city_dept"),
    ("D12", "济南市应急管理局", "局长", UnitKind.DEPARTMENT, "city_dept"),
    ("D13", "济南市卫生健康委", "主任", UnitKind.DEPARTMENT, "city_dept"),
    ("D14", "济南市市场监管局", "局长", UnitKind.DEPARTMENT, "city_dept"),
    ("P01", "济南高新技术产业开发区", "", UnitKind.PARK, "park"),
    ("P02", "济南新旧动能转换起步区", "", UnitKind.PARK, "park"),
    ("Q01", "济南城市建设集团有限公司", "", UnitKind.SOE, "city_body"),
    ("X01", "济南职业学院", "", UnitKind.UNIVERSITY, "city_body"),
]

# Streets run by the high-tech park (its own personnel office manages their cadres).
PARK_STREETS = {
    "P01": [("370171001", "高新区舜华路街道"), ("370171002", "高新区孙村街道")],
}

# County-level units: code, name, kind, departments, townships/streets.
# A township: (code, name, category key, [villages/communities as (code, name)]).
COUNTY_DEPTS = [
    ("D01", "委组织部", "部长"),
    ("D02", "委办公室", "主任"),
    ("D03", "发展和改革局", "局长"),
    ("D04", "财政局", "局长"),
    ("D05", "教育和体育局", "局长"),
    ("D06", "农业农村局", "局长"),
    ("D07", "自然资源局", "局长"),
    ("D08", "应急管理局", "局长"),
]
DISTRICT_DEPTS = [
    ("D01", "委组织部", "部长"),
    ("D03", "发展和改革局", "局长"),
    ("D04", "财政局", "局长"),
    ("D05", "教育和体育局", "局长"),
    ("D09", "住房和城乡建设局", "局长"),
    ("D10", "市场监督管理局", "局长"),
]

COUNTIES = [
    (
        "370102",
        "历下区",
        UnitKind.URBAN_DISTRICT,
        "历下组",
        [
            ("370102001", "解放路街道", "street", []),
            ("370102002", "千佛山街道", "street", []),
            ("370102003", "趵突泉街道", "street", []),
            ("370102004", "泉城路街道", "street", [("370102004001", "芙蓉街社区")]),
            ("370102005", "大明湖街道", "street", []),
            ("370102006", "东关街道", "street", []),
            ("370102007", "文东街道", "street", []),
            ("370102008", "龙洞街道", "street", []),
        ],
    ),
    (
        "370103",
        "市中区",
        UnitKind.URBAN_DISTRICT,
        "市中组",
        [
            ("370103001", "大观园街道", "street", [("370103001001", "经四路社区")]),
            ("370103002", "杆石桥街道", "street", []),
            ("370103003", "四里村街道", "street", []),
            ("370103004", "魏家庄街道", "street", []),
            ("370103005", "七里山街道", "street", []),
            ("370103006", "舜玉路街道", "street", []),
            ("370103007", "十六里河街道", "street", []),
            ("370103008", "党家街道", "street", []),
        ],
    ),
    (
        "370104",
        "槐荫区",
        UnitKind.URBAN_DISTRICT,
        "槐组",
        [
            ("370104001", "振兴街街道", "street", []),
            ("370104002", "中大槐树街道", "street", []),
            ("370104003", "道德街街道", "street", []),
            ("370104004", "西市场街道", "street", []),
            ("370104005", "五里沟街道", "street", []),
            ("370104006", "营市街街道", "street", []),
            ("370104007", "张庄路街道", "street", []),
            ("370104008", "玉清湖街道", "street", [("370104008001", "玉清湖村")]),
        ],
    ),
    (
        "370124",
        "平阴县",
        UnitKind.COUNTY,
        "平组",
        [
            ("370124001", "榆山街道", "street", []),
            ("370124002", "锦水街道", "street", []),
            ("370124100", "东阿镇", "town1", [("370124100001", "南关村")]),
            ("370124101", "玫瑰镇", "town1", [("370124101001", "胡庄村")]),
            ("370124102", "洪范池镇", "town2", [("370124102001", "书院村")]),
            ("370124103", "孔村镇", "town1", []),
            ("370124104", "孝直镇", "town1", []),
            ("370124105", "安城镇", "town2", []),
        ],
    ),
    (
        "370126",
        "商河县",
        UnitKind.COUNTY,
        "商组",
        [
            ("370126001", "许商街道", "street", []),
            ("370126100", "殷巷镇", "town2", [("370126100001", "殷巷村")]),
            ("370126101", "怀仁镇", "town2", []),
            ("370126102", "龙桑寺镇", "town2", []),
            ("370126103", "郑路镇", "town1", [("370126103001", "郑路村")]),
            ("370126104", "贾庄镇", "town2", []),
            ("370126105", "玉皇庙镇", "town1", []),
            ("370126106", "白桥镇", "town2", []),
            ("370126107", "孙集镇", "town2", []),
        ],
    ),
]

# Competent authorities: (name, short name, kind, root unit codes, management levels).
AUTHORITIES = [
    ("中共山东省委组织部", "鲁组", "organization", [ROOT_CODE], [ManagementLevel.PROVINCE]),
    ("中共济南市委组织部", "济组", "organization", [CITY_CODE], [ManagementLevel.CITY]),
    (
        "济南市纪委监委",
        "济纪",
        "discipline",
        [CITY_CODE],
        [ManagementLevel.CITY, ManagementLevel.COUNTY],
    ),
    (
        "济南高新区党群工作部",
        "高新组",
        "organization",
        [CITY_CODE + "P01"],
        [ManagementLevel.COUNTY],
    ),
] + [
    (
        f"中共{'济南市' if kind == UnitKind.URBAN_DISTRICT else ''}{name}委组织部",
        short,
        "organization",
        [code],
        [ManagementLevel.COUNTY],
    )
    for code, name, kind, short, _townships in COUNTIES
]

# Positions per kind of unit, in the order a unit's posts are filled (principals first).
# "{head}" is the department head's title, "{k}" is 县 or 区.
SLOTS = {
    "city": [
        ("市委书记", Rank.BUREAU_CHIEF, L),
        ("市长", Rank.BUREAU_CHIEF, L),
        ("市委副书记", Rank.BUREAU_DEPUTY, L),
        ("常务副市长", Rank.BUREAU_DEPUTY, L),
        ("副市长", Rank.BUREAU_DEPUTY, L),
        ("一级巡视员", Rank.INSPECTOR_1, N),
        ("副市长", Rank.BUREAU_DEPUTY, L),
        ("二级巡视员", Rank.INSPECTOR_2, N),
    ],
    "city_dept": [
        ("{head}", Rank.COUNTY_CHIEF, L),
        ("副{head}", Rank.COUNTY_DEPUTY, L),
        ("二级调研员", Rank.RESEARCHER_2, N),
        ("副{head}", Rank.COUNTY_DEPUTY, L),
        ("一级调研员", Rank.RESEARCHER_1, N),
        ("三级调研员", Rank.RESEARCHER_3, N),
    ],
    "park": [
        ("党工委书记", Rank.COUNTY_CHIEF, L),
        ("管委会主任", Rank.COUNTY_CHIEF, L),
        ("管委会副主任", Rank.COUNTY_DEPUTY, L),
        ("党工委副书记", Rank.COUNTY_DEPUTY, L),
        ("四级调研员", Rank.RESEARCHER_4, N),
        ("管委会副主任", Rank.COUNTY_DEPUTY, L),
    ],
    "soe": [
        ("党委书记、董事长", Rank.COUNTY_CHIEF, L),
        ("党委副书记、总经理", Rank.COUNTY_CHIEF, L),
        ("副总经理", Rank.COUNTY_DEPUTY, L),
        ("纪委书记", Rank.COUNTY_DEPUTY, L),
        ("副总经理", Rank.COUNTY_DEPUTY, L),
    ],
    "university": [
        ("党委书记", Rank.COUNTY_CHIEF, L),
        ("院长", Rank.COUNTY_CHIEF, L),
        ("副院长", Rank.COUNTY_DEPUTY, L),
        ("党委副书记", Rank.COUNTY_DEPUTY, L),
        ("副院长", Rank.COUNTY_DEPUTY, L),
    ],
    "county": [
        ("{k}委书记", Rank.COUNTY_CHIEF, L),
        ("{k}长", Rank.COUNTY_CHIEF, L),
        ("{k}委副书记", Rank.COUNTY_DEPUTY, L),
        ("常务副{k}长", Rank.COUNTY_DEPUTY, L),
        ("{k}委常委、组织部部长", Rank.COUNTY_DEPUTY, L),
        ("副{k}长", Rank.COUNTY_DEPUTY, L),
        ("一级调研员", Rank.RESEARCHER_1, N),
        ("{k}委常委、纪委书记", Rank.COUNTY_DEPUTY, L),
        ("副{k}长", Rank.COUNTY_DEPUTY, L),
        ("四级调研员", Rank.RESEARCHER_4, N),
    ],
    "county_dept": [
        ("{head}", Rank.SECTION_CHIEF, L),
        ("副{head}", Rank.SECTION_DEPUTY, L),
        ("一级主任科员", Rank.PRINCIPAL_STAFF_1, N),
        ("综合科科长", Rank.PRINCIPAL_STAFF_2, L),
        ("副{head}", Rank.SECTION_DEPUTY, L),
        ("四级主任科员", Rank.PRINCIPAL_STAFF_4, N),
        ("一级科员", Rank.CLERK_1, N),
    ],
    "town": [
        ("党委书记", Rank.SECTION_CHIEF, L),
        ("镇长", Rank.SECTION_CHIEF, L),
        ("党委副书记", Rank.SECTION_DEPUTY, L),
        ("副镇长", Rank.SECTION_DEPUTY, L),
        ("一级主任科员", Rank.PRINCIPAL_STAFF_1, N),
        ("人大主席", Rank.SECTION_CHIEF, L),
        ("党委委员、纪委书记", Rank.SECTION_DEPUTY, L),
        ("副镇长", Rank.SECTION_DEPUTY, L),
        ("四级主任科员", Rank.PRINCIPAL_STAFF_4, N),
        ("一级科员", Rank.CLERK_1, N),
    ],
    "street": [
        ("党工委书记", Rank.SECTION_CHIEF, L),
        ("办事处主任", Rank.SECTION_CHIEF, L),
        ("党工委副书记", Rank.SECTION_DEPUTY, L),
        ("办事处副主任", Rank.SECTION_DEPUTY, L),
        ("二级主任科员", Rank.PRINCIPAL_STAFF_2, N),
        ("纪工委书记", Rank.SECTION_DEPUTY, L),
        ("办事处副主任", Rank.SECTION_DEPUTY, L),
        ("三级主任科员", Rank.PRINCIPAL_STAFF_3, N),
        ("二级科员", Rank.CLERK_2, N),
    ],
    "village": [("驻村第一书记", Rank.PRINCIPAL_STAFF_4, N)],
    "community": [("驻社区第一书记", Rank.PRINCIPAL_STAFF_3, N)],
}
# Posts added round after round when more cadres are asked for than SLOTS hold.
EXTRA_SLOTS = {
    "city_level": [("四级调研员", Rank.RESEARCHER_4, N), ("三级调研员", Rank.RESEARCHER_3, N)],
    "county_level": [
        ("一级科员", Rank.CLERK_1, N),
        ("三级主任科员", Rank.PRINCIPAL_STAFF_3, N),
        ("二级科员", Rank.CLERK_2, N),
        ("四级主任科员", Rank.PRINCIPAL_STAFF_4, N),
    ],
}

# Generic titles for a rank, used in position histories where a unit has no such post.
RANK_TITLES = {
    Rank.CLERK_2: "二级科员",
    Rank.CLERK_1: "一级科员",
    Rank.PRINCIPAL_STAFF_4: "四级主任科员",
    Rank.PRINCIPAL_STAFF_3: "三级主任科员",
    Rank.PRINCIPAL_STAFF_2: "二级主任科员",
    Rank.PRINCIPAL_STAFF_1: "一级主任科员",
    Rank.RESEARCHER_4: "四级调研员",
    Rank.RESEARCHER_3: "三级调研员",
    Rank.RESEARCHER_2: "二级调研员",
    Rank.RESEARCHER_1: "一级调研员",
    Rank.INSPECTOR_2: "二级巡视员",
    Rank.INSPECTOR_1: "一级巡视员",
}

# Career ladders: leadership levels, and civil-service grades (职级).
LEADERSHIP_LADDER = [
    Rank.CLERK_2,
    Rank.CLERK_1,
    Rank.PRINCIPAL_STAFF_4,
    Rank.SECTION_DEPUTY,
    Rank.SECTION_CHIEF,
    Rank.COUNTY_DEPUTY,
    Rank.COUNTY_CHIEF,
    Rank.BUREAU_DEPUTY,
    Rank.BUREAU_CHIEF,
]
GRADE_LADDER = [
    Rank.CLERK_2,
    Rank.CLERK_1,
    Rank.PRINCIPAL_STAFF_4,
    Rank.PRINCIPAL_STAFF_3,
    Rank.PRINCIPAL_STAFF_2,
    Rank.PRINCIPAL_STAFF_1,
    Rank.RESEARCHER_4,
    Rank.RESEARCHER_3,
    Rank.RESEARCHER_2,
    Rank.RESEARCHER_1,
    Rank.INSPECTOR_2,
    Rank.INSPECTOR_1,
]
# A grade reached by leaving a leadership post (改任非领导职务): grade → former level.
FORMER_LEADERSHIP = {
    Rank.PRINCIPAL_STAFF_1: Rank.SECTION_CHIEF,
    Rank.PRINCIPAL_STAFF_2: Rank.SECTION_DEPUTY,
    Rank.RESEARCHER_4: Rank.COUNTY_DEPUTY,
    Rank.RESEARCHER_3: Rank.COUNTY_DEPUTY,
    Rank.RESEARCHER_2: Rank.COUNTY_CHIEF,
    Rank.RESEARCHER_1: Rank.COUNTY_CHIEF,
    Rank.INSPECTOR_1: Rank.BUREAU_DEPUTY,
}

# Age range (years) of cadres holding each rank.
AGE_RANGE = {
    Rank.CLERK_2: (23, 28),
    Rank.CLERK_1: (24, 33),
    Rank.PRINCIPAL_STAFF_4: (27, 40),
    Rank.PRINCIPAL_STAFF_3: (30, 45),
    Rank.SECTION_DEPUTY: (28, 50),
    Rank.PRINCIPAL_STAFF_2: (33, 52),
    Rank.PRINCIPAL_STAFF_1: (38, 58),
    Rank.SECTION_CHIEF: (32, 56),
    Rank.RESEARCHER_4: (42, 58),
    Rank.RESEARCHER_3: (44, 58),
    Rank.COUNTY_DEPUTY: (35, 56),
    Rank.RESEARCHER_2: (46, 59),
    Rank.RESEARCHER_1: (48, 59),
    Rank.COUNTY_CHIEF: (40, 57),
    Rank.INSPECTOR_2: (52, 59),
    Rank.BUREAU_DEPUTY: (45, 57),
    Rank.INSPECTOR_1: (54, 59),
    Rank.BUREAU_CHIEF: (48, 58),
}


def management_level_for(rank: int) -> str:
    """县处级 and above are city-managed, 厅局级 province-managed, 乡科级 county-managed."""
    if rank >= Rank.INSPECTOR_2:
        return ManagementLevel.PROVINCE
    if rank >= Rank.RESEARCHER_4:
        return ManagementLevel.CITY
    return ManagementLevel.COUNTY


# Birthplace codes (first six ID digits) and the native place they stand for.
REGIONS = {
    "370102": "山东济南",
    "370103": "山东济南",
    "370104": "山东济南",
    "370105": "山东济南",
    "370112": "山东济南",
    "370113": "山东长清",
    "370114": "山东章丘",
    "370115": "山东济阳",
    "370116": "山东莱芜",
    "370117": "山东莱芜",
    "370124": "山东平阴",
    "370126": "山东商河",
}

# Common surnames, most frequent first (frequency drives the pick), and a few double ones.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤"
)
DOUBLE_SURNAMES = ["欧阳", "司马", "上官", "诸葛"]
MALE_CHARS = (
    "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利"
    "清飞彬富顺信杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松"
    "善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以"
    "建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
)
FEMALE_CHARS = (
    "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱霞香月媛"
    "艳瑞凡佳嘉琼勤珍贞莉桂叶璐娅琦晶妍茜秋珊莎锦黛青倩婷婉娴瑾颖露瑶怡雁蓓仪荷丹蓉君琴蕊薇"
    "菁梦岚苑婕馨韵园艺卿聪澜纯毓悦昭冰爽琬茗羽希宁欣育滢馥筠柔竹凝晓欢霄枫芸菲寒伊亚宜可舒"
    "影思丽"
)
# Rare characters (CJK extension A and uncommon ones) that names really carry.
RARE_CHARS = "䶮堃喆赟玥翀"
ETHNIC_MINORITIES = ["回族", "满族", "蒙古族"]

# Pools (四型) and lists: code → (name, kind).
TALENT_LISTS = {
    "lion": ("狮子型干部库", "pool"),
    "expert": ("专家型干部库", "pool"),
    "sprout": ("苗子型干部库", "pool"),
    "ox": ("老黄牛型干部库", "pool"),
    "young_excellent": ("优秀年轻干部名单", "list"),
    "reserve": ("后备干部名单", "list"),
    "outstanding": ("出彩型干部名单", "list"),
}

# Demo logins: username → (role code, full name, what the login is scoped to).
# Scope keys: an authority name, "unit:<code>" for the HR officer, "cadre" for the cadre.
DEMO_USERS = [
    ("admin", "admin", "系统管理员", None),
    ("clerk", "intake_clerk", "周敏", "中共济南市委组织部"),
    ("investigator", "investigator", "孙立新", "中共济南市委组织部"),
    ("committee", "committee_member", "郑晓红", "中共济南市委组织部"),
    ("leader", "approving_leader", "韩建国", "中共济南市委组织部"),
    ("discipline", "discipline_staff", "冯卫东", "济南市纪委监委"),
    ("hr", "unit_hr", "马丽娟", "unit"),
    ("cadre", "cadre", "", "cadre"),
    ("auditor", "auditor", "高文静", "中共济南市委组织部"),
]
DEFAULT_DEMO_PASSWORD = "Jinan-demo-2026"  # noqa: S105 (printed only with DEBUG on)
