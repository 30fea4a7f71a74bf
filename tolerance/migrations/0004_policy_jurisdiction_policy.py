"""Policy versions belong to a jurisdiction (a unit code), not to an authority; each seed's
measure is shipped as the published policy of its own jurisdiction.

The measures' content is inline below, frozen as published: later edits to the code do not
change what a database built from these migrations contains. Versions stored before keep
their content; an old default (no authority) is moved to 陕西省, whose measure it was.
"""

import datetime as dt

from django.db import migrations, models
from django.utils import timezone

OLD_DEFAULT = {"shaanxi-2016": ("61", "陕西省"), "guanyun": ("320723", "灌云县")}

MEASURES = [
    {
        "jurisdiction_code": "61",
        "jurisdiction_name": "陕西省",
        "code": "shaanxi-2016",
        "title": "陕西省党政干部容错纠错办法（试行）",
        "issuer": "中共陕西省委办公厅",
        "label": "种子003版",
        "effective_from": "2016-07-01",
        "note": "11种容错情形（种子003引用3种，其余据公开报道或参照同类办法整理，见各条目依据）；三个区分开来；办法定义中的条件（符合法律法规和政策规定、勤勉尽责、未谋取私利）。种子未规定重复犯错的处理。程序时限（受理5个工作日、调查30个工作日等）、表决规则和公开范围为系统默认值，种子材料未作规定，须按本地办法核实。",
        "content": {
            "format": 1,
            "code": "shaanxi-2016",
            "jurisdiction": "陕西省",
            "source": {
                "title": "陕西省党政干部容错纠错办法（试行）",
                "issuer": "中共陕西省委办公厅",
                "date": "2016",
                "note": "Issued in June/July 2016 with the other two of the 'three "
                "mechanisms' (seed 003; 华商报 2016-07-12). A revised version "
                "was issued in December 2018 "
                "(http://xyctgroup.com/article.asp?id=3168) and belongs in a "
                "later catalog version.",
            },
            "situations": [
                {
                    "code": "SX-01",
                    "text": "在落实党委、政府决策部署中出现工作失误和偏差，但经过民主决策程序，没有为个人、他人或单位谋取私利，且积极主动消除影响或挽回损失的",
                    "source": {
                        "title": "陕西省党政干部容错纠错办法（试行）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "Issued in June/July 2016 with the other two "
                        "of the 'three mechanisms' (seed 003; 华商报 "
                        "2016-07-12). A revised version was issued in "
                        "December 2018 "
                        "(http://xyctgroup.com/article.asp?id=3168) "
                        "and belongs in a later catalog version.",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (陕西三项机制内容), 容错纠错办法 section",
                },
                {
                    "code": "SX-02",
                    "text": "在推进改革和体制机制创新中，因缺乏经验、先行先试出现探索性失误或未达到预期效果的",
                    "source": {
                        "title": "陕西省党政干部容错纠错办法（试行）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "Issued in June/July 2016 with the other two "
                        "of the 'three mechanisms' (seed 003; 华商报 "
                        "2016-07-12). A revised version was issued in "
                        "December 2018 "
                        "(http://xyctgroup.com/article.asp?id=3168) "
                        "and belongs in a later catalog version.",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (陕西三项机制内容), 容错纠错办法 section",
                },
                {
                    "code": "SX-03",
                    "text": "法律、法规没有明令禁止，因政策界限不明确或不可知的因素，在创造性开展工作中出现失误或造成影响和损失的",
                    "source": {
                        "title": "陕西省党政干部容错纠错办法（试行）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "Issued in June/July 2016 with the other two "
                        "of the 'three mechanisms' (seed 003; 华商报 "
                        "2016-07-12). A revised version was issued in "
                        "December 2018 "
                        "(http://xyctgroup.com/article.asp?id=3168) "
                        "and belongs in a later catalog version.",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (陕西三项机制内容), 容错纠错办法 section",
                },
                {
                    "code": "SX-04",
                    "text": "在推动重大项目和重点工作中，因大胆履职、大力推进出现一定失误或引发矛盾的",
                    "source": {
                        "title": "陕西省党政干部容错纠错办法（试行）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "Issued in June/July 2016 with the other two "
                        "of the 'three mechanisms' (seed 003; 华商报 "
                        "2016-07-12). A revised version was issued in "
                        "December 2018 "
                        "(http://xyctgroup.com/article.asp?id=3168) "
                        "and belongs in a later catalog version.",
                    },
                    "confidence": "public_text",
                    "evidence": "public_text: "
                    "https://78911.com.cn/SiXiangXueXi/625619-2.html "
                    "(reprint of the 2016 news report '给干部干事创新买份意外保险'; "
                    "lists six of the eleven situations); the count of "
                    "11 is confirmed by 华商报 2016-07-12, "
                    "http://101.201.78.234/news/view?id=9496",
                },
                {
                    "code": "SX-05",
                    "text": "在服务企业、服务群众中，为提高效率实行容缺受理、容缺审查，出现一定失误或偏差的",
                    "source": {
                        "title": "陕西省党政干部容错纠错办法（试行）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "Issued in June/July 2016 with the other two "
                        "of the 'three mechanisms' (seed 003; 华商报 "
                        "2016-07-12). A revised version was issued in "
                        "December 2018 "
                        "(http://xyctgroup.com/article.asp?id=3168) "
                        "and belongs in a later catalog version.",
                    },
                    "confidence": "public_text",
                    "evidence": "public_text: "
                    "https://78911.com.cn/SiXiangXueXi/625619-2.html "
                    "(reprint of the 2016 news report '给干部干事创新买份意外保险'; "
                    "lists six of the eleven situations); the count of "
                    "11 is confirmed by 华商报 2016-07-12, "
                    "http://101.201.78.234/news/view?id=9496",
                },
                {
                    "code": "SX-06",
                    "text": "因国家政策调整或上级党委、政府决策部署变化，工作未达到预期效果或造成负面影响和损失的",
                    "source": {
                        "title": "陕西省党政干部容错纠错办法（试行）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "Issued in June/July 2016 with the other two "
                        "of the 'three mechanisms' (seed 003; 华商报 "
                        "2016-07-12). A revised version was issued in "
                        "December 2018 "
                        "(http://xyctgroup.com/article.asp?id=3168) "
                        "and belongs in a later catalog version.",
                    },
                    "confidence": "public_text",
                    "evidence": "public_text: "
                    "https://78911.com.cn/SiXiangXueXi/625619-2.html "
                    "(reprint of the 2016 news report '给干部干事创新买份意外保险'; "
                    "lists six of the eleven situations); the count of "
                    "11 is confirmed by 华商报 2016-07-12, "
                    "http://101.201.78.234/news/view?id=9496",
                },
                {
                    "code": "SX-07",
                    "text": "在处置突发事件、抢险救灾等急难险重任务中主动担当作为，因客观条件限制或无意过失出现失误的",
                    "source": {
                        "title": "陕西省党政干部容错纠错办法（试行）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "Issued in June/July 2016 with the other two "
                        "of the 'three mechanisms' (seed 003; 华商报 "
                        "2016-07-12). A revised version was issued in "
                        "December 2018 "
                        "(http://xyctgroup.com/article.asp?id=3168) "
                        "and belongs in a later catalog version.",
                    },
                    "confidence": "reconstructed",
                    "evidence": "reconstructed after 忻州市支持干部改革创新合理容错实施办法（试行）, "
                    "http://m.mrlikoucai.com/info/1286/168961_4.htm (a "
                    "comparable provincial-pattern list)",
                },
                {
                    "code": "SX-08",
                    "text": "在化解矛盾纠纷、解决历史遗留问题中，因触及固有利益、破除障碍而引发矛盾或出现失误的",
                    "source": {
                        "title": "陕西省党政干部容错纠错办法（试行）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "Issued in June/July 2016 with the other two "
                        "of the 'three mechanisms' (seed 003; 华商报 "
                        "2016-07-12). A revised version was issued in "
                        "December 2018 "
                        "(http://xyctgroup.com/article.asp?id=3168) "
                        "and belongs in a later catalog version.",
                    },
                    "confidence": "reconstructed",
                    "evidence": "reconstructed after 忻州市支持干部改革创新合理容错实施办法（试行）, "
                    "http://m.mrlikoucai.com/info/1286/168961_4.htm (a "
                    "comparable provincial-pattern list)",
                },
                {
                    "code": "SX-09",
                    "text": "在脱贫攻坚、生态环境保护等重点任务中探索新办法新举措，出现一定失误或未达到预期效果的",
                    "source": {
                        "title": "陕西省党政干部容错纠错办法（试行）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "Issued in June/July 2016 with the other two "
                        "of the 'three mechanisms' (seed 003; 华商报 "
                        "2016-07-12). A revised version was issued in "
                        "December 2018 "
                        "(http://xyctgroup.com/article.asp?id=3168) "
                        "and belongs in a later catalog version.",
                    },
                    "confidence": "reconstructed",
                    "evidence": "reconstructed: the measure's wording was not found; "
                    "modelled on common county/city catalogues (e.g. "
                    "韩城市, 蓝田县 implementations of the Shaanxi measure)",
                },
                {
                    "code": "SX-10",
                    "text": "在招商引资、争取项目等工作中出于公心推动发展，出现一定失误但未造成重大损失的",
                    "source": {
                        "title": "陕西省党政干部容错纠错办法（试行）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "Issued in June/July 2016 with the other two "
                        "of the 'three mechanisms' (seed 003; 华商报 "
                        "2016-07-12). A revised version was issued in "
                        "December 2018 "
                        "(http://xyctgroup.com/article.asp?id=3168) "
                        "and belongs in a later catalog version.",
                    },
                    "confidence": "reconstructed",
                    "evidence": "reconstructed: the measure's wording was not found; "
                    "modelled on common county/city catalogues (e.g. "
                    "韩城市, 蓝田县 implementations of the Shaanxi measure)",
                },
                {
                    "code": "SX-11",
                    "text": "其他符合“三个区分开来”要求、经集体研究认定可以容错的情形",
                    "source": {
                        "title": "陕西省党政干部容错纠错办法（试行）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "Issued in June/July 2016 with the other two "
                        "of the 'three mechanisms' (seed 003; 华商报 "
                        "2016-07-12). A revised version was issued in "
                        "December 2018 "
                        "(http://xyctgroup.com/article.asp?id=3168) "
                        "and belongs in a later catalog version.",
                    },
                    "confidence": "reconstructed",
                    "evidence": "reconstructed: the measure's wording was not found; "
                    "modelled on common county/city catalogues (e.g. "
                    "韩城市, 蓝田县 implementations of the Shaanxi measure); "
                    "catch-all clause",
                },
            ],
            "distinctions": [
                {
                    "code": "D1",
                    "tolerable": "在推进改革中因缺乏经验、先行先试出现的失误和错误",
                    "not_tolerable": "明知故犯的违纪违法行为",
                    "source": {
                        "title": "三个区分开来（陕西省党政干部容错纠错办法（试行）所引）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (陕西三项机制内容), 容错纠错办法 section",
                },
                {
                    "code": "D2",
                    "tolerable": "上级尚无明确限制的探索性试验中的失误和错误",
                    "not_tolerable": "上级明令禁止后依然我行我素的违纪违法行为",
                    "source": {
                        "title": "三个区分开来（陕西省党政干部容错纠错办法（试行）所引）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (陕西三项机制内容), 容错纠错办法 section",
                },
                {
                    "code": "D3",
                    "tolerable": "为推动发展的无意过失",
                    "not_tolerable": "为谋取私利的违纪违法行为",
                    "source": {
                        "title": "三个区分开来（陕西省党政干部容错纠错办法（试行）所引）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (陕西三项机制内容), 容错纠错办法 section",
                },
            ],
            "conditions": [
                {
                    "code": "SC1",
                    "text": "符合法律法规和政策规定",
                    "source": {
                        "title": "陕西省党政干部容错纠错办法（试行）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "Issued in June/July 2016 with the other two "
                        "of the 'three mechanisms' (seed 003; 华商报 "
                        "2016-07-12). A revised version was issued in "
                        "December 2018 "
                        "(http://xyctgroup.com/article.asp?id=3168) "
                        "and belongs in a later catalog version.",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (陕西三项机制内容), 容错纠错办法 section (definition)",
                },
                {
                    "code": "SC2",
                    "text": "勤勉尽责",
                    "source": {
                        "title": "陕西省党政干部容错纠错办法（试行）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "Issued in June/July 2016 with the other two "
                        "of the 'three mechanisms' (seed 003; 华商报 "
                        "2016-07-12). A revised version was issued in "
                        "December 2018 "
                        "(http://xyctgroup.com/article.asp?id=3168) "
                        "and belongs in a later catalog version.",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (陕西三项机制内容), 容错纠错办法 section (definition)",
                },
                {
                    "code": "SC3",
                    "text": "未为个人、他人或单位谋取私利",
                    "source": {
                        "title": "陕西省党政干部容错纠错办法（试行）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "Issued in June/July 2016 with the other two "
                        "of the 'three mechanisms' (seed 003; 华商报 "
                        "2016-07-12). A revised version was issued in "
                        "December 2018 "
                        "(http://xyctgroup.com/article.asp?id=3168) "
                        "and belongs in a later catalog version.",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (陕西三项机制内容), 容错纠错办法 section (definition; "
                    "first situation)",
                },
            ],
            "exclusions": [
                {
                    "code": "X1",
                    "text": "为自己、他人或单位谋取私利的",
                    "source": {
                        "title": "三个区分开来（陕西省党政干部容错纠错办法（试行）所引）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (D3 non-tolerable side; 未谋取私利 in the definition)",
                    "distinction": "D3",
                    "condition": "SC3",
                },
                {
                    "code": "X2",
                    "text": "明知故犯、违纪违法的",
                    "source": {
                        "title": "三个区分开来（陕西省党政干部容错纠错办法（试行）所引）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (陕西三项机制内容), 容错纠错办法 section (D1 "
                    "non-tolerable side)",
                    "distinction": "D1",
                    "condition": "",
                },
                {
                    "code": "X3",
                    "text": "上级明令禁止后依然我行我素的",
                    "source": {
                        "title": "三个区分开来（陕西省党政干部容错纠错办法（试行）所引）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (陕西三项机制内容), 容错纠错办法 section (D2 "
                    "non-tolerable side)",
                    "distinction": "D2",
                    "condition": "",
                },
                {
                    "code": "X5",
                    "text": "发生重大安全责任事故的（办法将其排除在容错之外时）",
                    "source": {
                        "title": "陕西省党政干部容错纠错办法（试行）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "Issued in June/July 2016 with the other two "
                        "of the 'three mechanisms' (seed 003; 华商报 "
                        "2016-07-12). A revised version was issued in "
                        "December 2018 "
                        "(http://xyctgroup.com/article.asp?id=3168) "
                        "and belongs in a later catalog version.",
                    },
                    "confidence": "public_text",
                    "evidence": "韩城市 implementation of the Shaanxi measure: "
                    "'（重大安全责任事故除外）', "
                    "https://hancheng.qinfeng.gov.cn/info/1019/6395.htm; "
                    "Zhejiang 2016 excludes safety accidents, "
                    "http://49.213.3.36/doc/239_13430_104455554_1.html",
                    "distinction": "",
                    "condition": "",
                },
            ],
            "procedure": {
                "acceptance_days": 5,
                "investigation_days": 30,
                "investigation_extension_days": 15,
                "decision_days": 10,
                "feedback_days": 5,
                "appeal_window_days": 15,
                "published_outcomes": ["exempt"],
                "publication_scopes": ["unit", "system", "public"],
                "default_publication_scope": "unit",
                "quorum": "2/3",
                "majority": "1/2",
                "majority_base": "present",
                "reminder_days": 2,
            },
            "separations": [],
            "repeated_errors": None,
        },
    },
    {
        "jurisdiction_code": "3701",
        "jurisdiction_name": "济南市",
        "code": "jinan-2016",
        "title": "济南市支持党员干部干事创业容错免责实施办法",
        "issuer": "中共济南市委",
        "label": "种子000/004版",
        "effective_from": "2016-01-01",
        "note": "四项条件（种子000）；容错、纠错、防错和诬告陷害信访举报查核“四位一体”。种子未列出具体容错情形，只说“符合四项条件的……符合容错情形的”，故只设一项概括情形；种子未给出办法全称和施行日期（2016年以来出台），须核实。种子未规定重复犯错的处理。程序时限（受理5个工作日、调查30个工作日等）、表决规则和公开范围为系统默认值，种子材料未作规定，须按本地办法核实。",
        "content": {
            "format": 1,
            "code": "jinan-2016",
            "jurisdiction": "济南市",
            "source": {
                "title": "济南市支持党员干部干事创业容错免责实施办法",
                "issuer": "中共济南市委",
                "date": "2016",
                "note": "Seed 000 (新华社 2018-09-13) quotes the four conditions; the "
                "exact title is not quoted.",
            },
            "situations": [
                {
                    "code": "JN-01",
                    "text": "在干事创业中出现失误和错误，同时符合四项条件的",
                    "source": {
                        "title": "济南市支持党员干部干事创业容错免责实施办法",
                        "issuer": "中共济南市委",
                        "date": "2016",
                        "note": "Seed 000 (新华社 2018-09-13) quotes the four "
                        "conditions; the exact title is not quoted.",
                    },
                    "confidence": "seed",
                    "evidence": "seed 000 (新华社 2018-09-13, 山东济南：容错免责正向激励…): "
                    "只要符合…4项条件…符合容错情形的; the measure's list of situations "
                    "is not quoted",
                }
            ],
            "distinctions": [
                {
                    "code": "D1",
                    "tolerable": "在推进改革中因缺乏经验、先行先试出现的失误和错误",
                    "not_tolerable": "明知故犯的违纪违法行为",
                    "source": {
                        "title": "三个区分开来（陕西省党政干部容错纠错办法（试行）所引）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (陕西三项机制内容), 容错纠错办法 section",
                },
                {
                    "code": "D2",
                    "tolerable": "上级尚无明确限制的探索性试验中的失误和错误",
                    "not_tolerable": "上级明令禁止后依然我行我素的违纪违法行为",
                    "source": {
                        "title": "三个区分开来（陕西省党政干部容错纠错办法（试行）所引）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (陕西三项机制内容), 容错纠错办法 section",
                },
                {
                    "code": "D3",
                    "tolerable": "为推动发展的无意过失",
                    "not_tolerable": "为谋取私利的违纪违法行为",
                    "source": {
                        "title": "三个区分开来（陕西省党政干部容错纠错办法（试行）所引）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (陕西三项机制内容), 容错纠错办法 section",
                },
            ],
            "conditions": [
                {
                    "code": "C1",
                    "text": "法律法规没有明令禁止",
                    "source": {
                        "title": "济南市支持党员干部干事创业容错免责实施办法",
                        "issuer": "中共济南市委",
                        "date": "2016",
                        "note": "Seed 000 (新华社 2018-09-13) quotes the four "
                        "conditions; the exact title is not quoted.",
                    },
                    "confidence": "seed",
                    "evidence": "seed 000 (新华社 2018-09-13, 山东济南：容错免责正向激励…)",
                },
                {
                    "code": "C2",
                    "text": "符合中央大政方针和省、市党委政府决策精神",
                    "source": {
                        "title": "济南市支持党员干部干事创业容错免责实施办法",
                        "issuer": "中共济南市委",
                        "date": "2016",
                        "note": "Seed 000 (新华社 2018-09-13) quotes the four "
                        "conditions; the exact title is not quoted.",
                    },
                    "confidence": "seed",
                    "evidence": "seed 000 (新华社 2018-09-13, 山东济南：容错免责正向激励…)",
                },
                {
                    "code": "C3",
                    "text": "按照实际情况经过民主决策",
                    "source": {
                        "title": "济南市支持党员干部干事创业容错免责实施办法",
                        "issuer": "中共济南市委",
                        "date": "2016",
                        "note": "Seed 000 (新华社 2018-09-13) quotes the four "
                        "conditions; the exact title is not quoted.",
                    },
                    "confidence": "seed",
                    "evidence": "seed 000 (新华社 2018-09-13, 山东济南：容错免责正向激励…)",
                },
                {
                    "code": "C4",
                    "text": "没有为自己、他人或单位谋取私利",
                    "source": {
                        "title": "济南市支持党员干部干事创业容错免责实施办法",
                        "issuer": "中共济南市委",
                        "date": "2016",
                        "note": "Seed 000 (新华社 2018-09-13) quotes the four "
                        "conditions; the exact title is not quoted.",
                    },
                    "confidence": "seed",
                    "evidence": "seed 000 (新华社 2018-09-13, 山东济南：容错免责正向激励…)",
                },
            ],
            "exclusions": [
                {
                    "code": "X1",
                    "text": "为自己、他人或单位谋取私利的",
                    "source": {
                        "title": "三个区分开来（陕西省党政干部容错纠错办法（试行）所引）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (D3 non-tolerable side; 未谋取私利 in the "
                    "definition) and seed 000 (C4)",
                    "distinction": "D3",
                    "condition": "C4",
                },
                {
                    "code": "X2",
                    "text": "明知故犯、违纪违法的",
                    "source": {
                        "title": "三个区分开来（陕西省党政干部容错纠错办法（试行）所引）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (陕西三项机制内容), 容错纠错办法 section (D1 "
                    "non-tolerable side)",
                    "distinction": "D1",
                    "condition": "",
                },
                {
                    "code": "X3",
                    "text": "上级明令禁止后依然我行我素的",
                    "source": {
                        "title": "三个区分开来（陕西省党政干部容错纠错办法（试行）所引）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (陕西三项机制内容), 容错纠错办法 section (D2 "
                    "non-tolerable side)",
                    "distinction": "D2",
                    "condition": "",
                },
            ],
            "procedure": {
                "acceptance_days": 5,
                "investigation_days": 30,
                "investigation_extension_days": 15,
                "decision_days": 10,
                "feedback_days": 5,
                "appeal_window_days": 15,
                "published_outcomes": ["exempt"],
                "publication_scopes": ["unit", "system", "public"],
                "default_publication_scope": "unit",
                "quorum": "2/3",
                "majority": "1/2",
                "majority_base": "present",
                "reminder_days": 2,
            },
            "separations": [],
            "repeated_errors": None,
        },
    },
    {
        "jurisdiction_code": "320723",
        "jurisdiction_name": "灌云县",
        "code": "guanyun",
        "title": "关于激励干部干事创业担当作为的实施意见",
        "issuer": "中共灌云县委",
        "label": "种子001版",
        "effective_from": "2018-01-01",
        "note": "18种容错情形（种子001只说明数量和“失误/失职、违规/违纪、为公/为私”三个区分，各条文字为参照同类县级办法整理，须核实）；种子未给出施行日期和重复犯错的处理。程序时限（受理5个工作日、调查30个工作日等）、表决规则和公开范围为系统默认值，种子材料未作规定，须按本地办法核实。",
        "content": {
            "format": 1,
            "code": "guanyun",
            "jurisdiction": "灌云县",
            "source": {
                "title": "关于激励干部干事创业担当作为的实施意见",
                "issuer": "中共灌云县委",
                "date": "",
                "note": "Named in seed 001 (群众 magazine, by the county's head of "
                "organization); no date given.",
            },
            "situations": [
                {
                    "code": "GY-01",
                    "text": "在落实县委、县政府决策部署中，经集体研究决策出现失误或偏差，且积极挽回损失的",
                    "source": {
                        "title": "关于激励干部干事创业担当作为的实施意见",
                        "issuer": "中共灌云县委",
                        "date": "",
                        "note": "Named in seed 001 (群众 magazine, by the "
                        "county's head of organization); no date "
                        "given.",
                    },
                    "confidence": "reconstructed",
                    "evidence": "reconstructed: seed 001 states only that the "
                    "measure lists 18 situations and separates 失误/失职, "
                    "违规/违纪, 为公/为私; no public text of the list was found. "
                    "Wording modelled on county catalogues",
                },
                {
                    "code": "GY-02",
                    "text": "在推进改革创新、先行先试中，因缺乏经验出现探索性失误或未达到预期效果的",
                    "source": {
                        "title": "关于激励干部干事创业担当作为的实施意见",
                        "issuer": "中共灌云县委",
                        "date": "",
                        "note": "Named in seed 001 (群众 magazine, by the "
                        "county's head of organization); no date "
                        "given.",
                    },
                    "confidence": "reconstructed",
                    "evidence": "reconstructed: seed 001 states only that the "
                    "measure lists 18 situations and separates 失误/失职, "
                    "违规/违纪, 为公/为私; no public text of the list was found. "
                    "Wording modelled on county catalogues",
                },
                {
                    "code": "GY-03",
                    "text": "法律法规和政策没有明确禁止，因政策界限不明确，在创造性开展工作中出现失误的",
                    "source": {
                        "title": "关于激励干部干事创业担当作为的实施意见",
                        "issuer": "中共灌云县委",
                        "date": "",
                        "note": "Named in seed 001 (群众 magazine, by the "
                        "county's head of organization); no date "
                        "given.",
                    },
                    "confidence": "reconstructed",
                    "evidence": "reconstructed: seed 001 states only that the "
                    "measure lists 18 situations and separates 失误/失职, "
                    "违规/违纪, 为公/为私; no public text of the list was found. "
                    "Wording modelled on county catalogues",
                },
                {
                    "code": "GY-04",
                    "text": "在推进重点项目、重大工程建设中，因大胆履职、加快推进出现一定失误或引发矛盾的",
                    "source": {
                        "title": "关于激励干部干事创业担当作为的实施意见",
                        "issuer": "中共灌云县委",
                        "date": "",
                        "note": "Named in seed 001 (群众 magazine, by the "
                        "county's head of organization); no date "
                        "given.",
                    },
                    "confidence": "reconstructed",
                    "evidence": "reconstructed: seed 001 states only that the "
                    "measure lists 18 situations and separates 失误/失职, "
                    "违规/违纪, 为公/为私; no public text of the list was found. "
                    "Wording modelled on county catalogues",
                },
                {
                    "code": "GY-05",
                    "text": "在棚户区改造、征收拆迁中依法依规大胆作为，因情况复杂出现一定失误或引发矛盾的",
                    "source": {
                        "title": "关于激励干部干事创业担当作为的实施意见",
                        "issuer": "中共灌云县委",
                        "date": "",
                        "note": "Named in seed 001 (群众 magazine, by the "
                        "county's head of organization); no date "
                        "given.",
                    },
                    "confidence": "reconstructed",
                    "evidence": "reconstructed: seed 001 states only that the "
                    "measure lists 18 situations and separates 失误/失职, "
                    "违规/违纪, 为公/为私; no public text of the list was found. "
                    "Wording modelled on county catalogues; the field of "
                    "work is one seed 001 names for Guanyun",
                },
                {
                    "code": "GY-06",
                    "text": "在招商引资、项目落地中为争取项目出现一定失误，但出于公心、未谋取私利的",
                    "source": {
                        "title": "关于激励干部干事创业担当作为的实施意见",
                        "issuer": "中共灌云县委",
                        "date": "",
                        "note": "Named in seed 001 (群众 magazine, by the "
                        "county's head of organization); no date "
                        "given.",
                    },
                    "confidence": "reconstructed",
                    "evidence": "reconstructed: seed 001 states only that the "
                    "measure lists 18 situations and separates 失误/失职, "
                    "违规/违纪, 为公/为私; no public text of the list was found. "
                    "Wording modelled on county catalogues",
                },
                {
                    "code": "GY-07",
                    "text": "在服务企业、服务群众中，为提高效率实行容缺受理、并联审批出现一定失误的",
                    "source": {
                        "title": "关于激励干部干事创业担当作为的实施意见",
                        "issuer": "中共灌云县委",
                        "date": "",
                        "note": "Named in seed 001 (群众 magazine, by the "
                        "county's head of organization); no date "
                        "given.",
                    },
                    "confidence": "reconstructed",
                    "evidence": "reconstructed: seed 001 states only that the "
                    "measure lists 18 situations and separates 失误/失职, "
                    "违规/违纪, 为公/为私; no public text of the list was found. "
                    "Wording modelled on county catalogues",
                },
                {
                    "code": "GY-08",
                    "text": "在处置突发事件、抢险救灾等急难险重任务中主动担当，因客观原因出现失误的",
                    "source": {
                        "title": "关于激励干部干事创业担当作为的实施意见",
                        "issuer": "中共灌云县委",
                        "date": "",
                        "note": "Named in seed 001 (群众 magazine, by the "
                        "county's head of organization); no date "
                        "given.",
                    },
                    "confidence": "reconstructed",
                    "evidence": "reconstructed: seed 001 states only that the "
                    "measure lists 18 situations and separates 失误/失职, "
                    "违规/违纪, 为公/为私; no public text of the list was found. "
                    "Wording modelled on county catalogues",
                },
                {
                    "code": "GY-09",
                    "text": "在化解信访矛盾、解决历史遗留问题中，因触及固有利益引发矛盾或出现失误的",
                    "source": {
                        "title": "关于激励干部干事创业担当作为的实施意见",
                        "issuer": "中共灌云县委",
                        "date": "",
                        "note": "Named in seed 001 (群众 magazine, by the "
                        "county's head of organization); no date "
                        "given.",
                    },
                    "confidence": "reconstructed",
                    "evidence": "reconstructed: seed 001 states only that the "
                    "measure lists 18 situations and separates 失误/失职, "
                    "违规/违纪, 为公/为私; no public text of the list was found. "
                    "Wording modelled on county catalogues",
                },
                {
                    "code": "GY-10",
                    "text": "在脱贫攻坚、精准扶贫中为完成目标任务探索新举措，出现一定失误的",
                    "source": {
                        "title": "关于激励干部干事创业担当作为的实施意见",
                        "issuer": "中共灌云县委",
                        "date": "",
                        "note": "Named in seed 001 (群众 magazine, by the "
                        "county's head of organization); no date "
                        "given.",
                    },
                    "confidence": "reconstructed",
                    "evidence": "reconstructed: seed 001 states only that the "
                    "measure lists 18 situations and separates 失误/失职, "
                    "违规/违纪, 为公/为私; no public text of the list was found. "
                    "Wording modelled on county catalogues",
                },
                {
                    "code": "GY-11",
                    "text": "在“四城同创”等重点创建工作中为推进进度大胆作为，出现一般性失误的",
                    "source": {
                        "title": "关于激励干部干事创业担当作为的实施意见",
                        "issuer": "中共灌云县委",
                        "date": "",
                        "note": "Named in seed 001 (群众 magazine, by the "
                        "county's head of organization); no date "
                        "given.",
                    },
                    "confidence": "reconstructed",
                    "evidence": "reconstructed: seed 001 states only that the "
                    "measure lists 18 situations and separates 失误/失职, "
                    "违规/违纪, 为公/为私; no public text of the list was found. "
                    "Wording modelled on county catalogues; the field of "
                    "work is one seed 001 names for Guanyun",
                },
                {
                    "code": "GY-12",
                    "text": "在村党组织书记薪酬体系改革等基层改革试点中，因缺乏经验出现失误或未达到预期效果的",
                    "source": {
                        "title": "关于激励干部干事创业担当作为的实施意见",
                        "issuer": "中共灌云县委",
                        "date": "",
                        "note": "Named in seed 001 (群众 magazine, by the "
                        "county's head of organization); no date "
                        "given.",
                    },
                    "confidence": "reconstructed",
                    "evidence": "reconstructed: seed 001 states only that the "
                    "measure lists 18 situations and separates 失误/失职, "
                    "违规/违纪, 为公/为私; no public text of the list was found. "
                    "Wording modelled on county catalogues; the field of "
                    "work is one seed 001 names for Guanyun",
                },
                {
                    "code": "GY-13",
                    "text": "因上级政策调整或决策部署变化，导致工作未达到预期效果或造成损失的",
                    "source": {
                        "title": "关于激励干部干事创业担当作为的实施意见",
                        "issuer": "中共灌云县委",
                        "date": "",
                        "note": "Named in seed 001 (群众 magazine, by the "
                        "county's head of organization); no date "
                        "given.",
                    },
                    "confidence": "reconstructed",
                    "evidence": "reconstructed: seed 001 states only that the "
                    "measure lists 18 situations and separates 失误/失职, "
                    "违规/违纪, 为公/为私; no public text of the list was found. "
                    "Wording modelled on county catalogues",
                },
                {
                    "code": "GY-14",
                    "text": "因不可抗力或难以预见的客观因素，导致工作未达到预期目标的",
                    "source": {
                        "title": "关于激励干部干事创业担当作为的实施意见",
                        "issuer": "中共灌云县委",
                        "date": "",
                        "note": "Named in seed 001 (群众 magazine, by the "
                        "county's head of organization); no date "
                        "given.",
                    },
                    "confidence": "reconstructed",
                    "evidence": "reconstructed: seed 001 states only that the "
                    "measure lists 18 situations and separates 失误/失职, "
                    "违规/违纪, 为公/为私; no public text of the list was found. "
                    "Wording modelled on county catalogues",
                },
                {
                    "code": "GY-15",
                    "text": "在履行监管、执法职责中已按规定程序尽职履责，因监管对象故意隐瞒等原因未能及时发现问题的",
                    "source": {
                        "title": "关于激励干部干事创业担当作为的实施意见",
                        "issuer": "中共灌云县委",
                        "date": "",
                        "note": "Named in seed 001 (群众 magazine, by the "
                        "county's head of organization); no date "
                        "given.",
                    },
                    "confidence": "reconstructed",
                    "evidence": "reconstructed: seed 001 states only that the "
                    "measure lists 18 situations and separates 失误/失职, "
                    "违规/违纪, 为公/为私; no public text of the list was found. "
                    "Wording modelled on county catalogues",
                },
                {
                    "code": "GY-16",
                    "text": "在国有资产运营、投融资改革中按规定程序决策，因市场风险等客观因素造成损失的",
                    "source": {
                        "title": "关于激励干部干事创业担当作为的实施意见",
                        "issuer": "中共灌云县委",
                        "date": "",
                        "note": "Named in seed 001 (群众 magazine, by the "
                        "county's head of organization); no date "
                        "given.",
                    },
                    "confidence": "reconstructed",
                    "evidence": "reconstructed: seed 001 states only that the "
                    "measure lists 18 situations and separates 失误/失职, "
                    "违规/违纪, 为公/为私; no public text of the list was found. "
                    "Wording modelled on county catalogues",
                },
                {
                    "code": "GY-17",
                    "text": "执行集体决策时，本人已明确提出不同意见并记录在案，集体决策出现失误的",
                    "source": {
                        "title": "关于激励干部干事创业担当作为的实施意见",
                        "issuer": "中共灌云县委",
                        "date": "",
                        "note": "Named in seed 001 (群众 magazine, by the "
                        "county's head of organization); no date "
                        "given.",
                    },
                    "confidence": "reconstructed",
                    "evidence": "reconstructed: seed 001 states only that the "
                    "measure lists 18 situations and separates 失误/失职, "
                    "违规/违纪, 为公/为私; no public text of the list was found. "
                    "Wording modelled on county catalogues",
                },
                {
                    "code": "GY-18",
                    "text": "其他确属失误而非失职、违规而非违纪、为公而非为私，经集体研究认定可以容错的情形",
                    "source": {
                        "title": "关于激励干部干事创业担当作为的实施意见",
                        "issuer": "中共灌云县委",
                        "date": "",
                        "note": "Named in seed 001 (群众 magazine, by the "
                        "county's head of organization); no date "
                        "given.",
                    },
                    "confidence": "reconstructed",
                    "evidence": "reconstructed: seed 001 states only that the "
                    "measure lists 18 situations and separates 失误/失职, "
                    "违规/违纪, 为公/为私; no public text of the list was found. "
                    "Wording modelled on county catalogues",
                },
            ],
            "distinctions": [
                {
                    "code": "D1",
                    "tolerable": "在推进改革中因缺乏经验、先行先试出现的失误和错误",
                    "not_tolerable": "明知故犯的违纪违法行为",
                    "source": {
                        "title": "三个区分开来（陕西省党政干部容错纠错办法（试行）所引）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (陕西三项机制内容), 容错纠错办法 section",
                },
                {
                    "code": "D2",
                    "tolerable": "上级尚无明确限制的探索性试验中的失误和错误",
                    "not_tolerable": "上级明令禁止后依然我行我素的违纪违法行为",
                    "source": {
                        "title": "三个区分开来（陕西省党政干部容错纠错办法（试行）所引）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (陕西三项机制内容), 容错纠错办法 section",
                },
                {
                    "code": "D3",
                    "tolerable": "为推动发展的无意过失",
                    "not_tolerable": "为谋取私利的违纪违法行为",
                    "source": {
                        "title": "三个区分开来（陕西省党政干部容错纠错办法（试行）所引）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (陕西三项机制内容), 容错纠错办法 section",
                },
            ],
            "conditions": [
                {
                    "code": "GC1",
                    "text": "属于失误而非失职、违规而非违纪、为公而非为私",
                    "source": {
                        "title": "关于激励干部干事创业担当作为的实施意见",
                        "issuer": "中共灌云县委",
                        "date": "",
                        "note": "Named in seed 001 (群众 magazine, by the "
                        "county's head of organization); no date "
                        "given.",
                    },
                    "confidence": "seed",
                    "evidence": "seed 001: strictly separates 失误/失职, 违规/违纪, 为公/为私",
                }
            ],
            "exclusions": [
                {
                    "code": "X1",
                    "text": "为自己、他人或单位谋取私利的",
                    "source": {
                        "title": "三个区分开来（陕西省党政干部容错纠错办法（试行）所引）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "",
                    },
                    "confidence": "seed",
                    "evidence": "seed 001 (为公/为私) and the three distinctions (D3)",
                    "distinction": "D3",
                    "condition": "",
                },
                {
                    "code": "X2",
                    "text": "明知故犯、违纪违法的",
                    "source": {
                        "title": "三个区分开来（陕西省党政干部容错纠错办法（试行）所引）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (陕西三项机制内容), 容错纠错办法 section (D1 "
                    "non-tolerable side)",
                    "distinction": "D1",
                    "condition": "",
                },
                {
                    "code": "X3",
                    "text": "上级明令禁止后依然我行我素的",
                    "source": {
                        "title": "三个区分开来（陕西省党政干部容错纠错办法（试行）所引）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (陕西三项机制内容), 容错纠错办法 section (D2 "
                    "non-tolerable side)",
                    "distinction": "D2",
                    "condition": "",
                },
            ],
            "procedure": {
                "acceptance_days": 5,
                "investigation_days": 30,
                "investigation_extension_days": 15,
                "decision_days": 10,
                "feedback_days": 5,
                "appeal_window_days": 15,
                "published_outcomes": ["exempt"],
                "publication_scopes": ["unit", "system", "public"],
                "default_publication_scope": "unit",
                "quorum": "2/3",
                "majority": "1/2",
                "majority_base": "present",
                "reminder_days": 2,
            },
            "separations": [["失误", "失职"], ["违规", "违纪"], ["为公", "为私"]],
            "repeated_errors": None,
        },
    },
    {
        "jurisdiction_code": "33",
        "jurisdiction_name": "浙江省",
        "code": "zhejiang-2018",
        "title": "关于进一步激励干部新时代新担当新作为 奋力推进“两个高水平”建设的实施意见",
        "issuer": "中共浙江省委",
        "label": "种子002版",
        "effective_from": "2018-08-24",
        "note": "容错在纪律红线、法律底线内进行；不拿容错当“保护伞”；容错正面清单和不担当不作为负面清单由各部门制定（种子002未列出清单内容，故只设一项概括情形）；重复犯错不予容错，回溯期3年为系统默认值（种子未规定期限）。程序时限（受理5个工作日、调查30个工作日等）、表决规则和公开范围为系统默认值，种子材料未作规定，须按本地办法核实。",
        "content": {
            "format": 1,
            "code": "zhejiang-2018",
            "jurisdiction": "浙江省",
            "source": {
                "title": "关于进一步激励干部新时代新担当新作为 奋力推进“两个高水平”建设的实施意见",
                "issuer": "中共浙江省委",
                "date": "2018",
                "note": "",
            },
            "situations": [
                {
                    "code": "ZJ-01",
                    "text": "属于本部门容错正面清单所列情形的",
                    "source": {
                        "title": "关于进一步激励干部新时代新担当新作为 奋力推进“两个高水平”建设的实施意见",
                        "issuer": "中共浙江省委",
                        "date": "2018",
                        "note": "",
                    },
                    "confidence": "seed",
                    "evidence": "seed 002: 省直部门结合职能特点建立容错正面清单和不担当不作为负面清单; the lists "
                    "themselves are per department and not quoted",
                }
            ],
            "distinctions": [
                {
                    "code": "D1",
                    "tolerable": "在推进改革中因缺乏经验、先行先试出现的失误和错误",
                    "not_tolerable": "明知故犯的违纪违法行为",
                    "source": {
                        "title": "三个区分开来（陕西省党政干部容错纠错办法（试行）所引）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (陕西三项机制内容), 容错纠错办法 section",
                },
                {
                    "code": "D2",
                    "tolerable": "上级尚无明确限制的探索性试验中的失误和错误",
                    "not_tolerable": "上级明令禁止后依然我行我素的违纪违法行为",
                    "source": {
                        "title": "三个区分开来（陕西省党政干部容错纠错办法（试行）所引）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (陕西三项机制内容), 容错纠错办法 section",
                },
                {
                    "code": "D3",
                    "tolerable": "为推动发展的无意过失",
                    "not_tolerable": "为谋取私利的违纪违法行为",
                    "source": {
                        "title": "三个区分开来（陕西省党政干部容错纠错办法（试行）所引）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (陕西三项机制内容), 容错纠错办法 section",
                },
            ],
            "conditions": [
                {
                    "code": "ZC1",
                    "text": "在纪律红线、法律底线内进行",
                    "source": {
                        "title": "关于进一步激励干部新时代新担当新作为 奋力推进“两个高水平”建设的实施意见",
                        "issuer": "中共浙江省委",
                        "date": "2018",
                        "note": "",
                    },
                    "confidence": "seed",
                    "evidence": "seed 002: 确保容错在纪律红线、法律底线内进行",
                }
            ],
            "exclusions": [
                {
                    "code": "X1",
                    "text": "为自己、他人或单位谋取私利的",
                    "source": {
                        "title": "三个区分开来（陕西省党政干部容错纠错办法（试行）所引）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (D3 non-tolerable side; 未谋取私利 in the "
                    "definition) and seed 000 (C4)",
                    "distinction": "D3",
                    "condition": "C4",
                },
                {
                    "code": "X2",
                    "text": "明知故犯、违纪违法的",
                    "source": {
                        "title": "三个区分开来（陕西省党政干部容错纠错办法（试行）所引）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (陕西三项机制内容), 容错纠错办法 section (D1 "
                    "non-tolerable side)",
                    "distinction": "D1",
                    "condition": "",
                },
                {
                    "code": "X3",
                    "text": "上级明令禁止后依然我行我素的",
                    "source": {
                        "title": "三个区分开来（陕西省党政干部容错纠错办法（试行）所引）",
                        "issuer": "中共陕西省委办公厅",
                        "date": "2016",
                        "note": "",
                    },
                    "confidence": "seed",
                    "evidence": "seed 003 (陕西三项机制内容), 容错纠错办法 section (D2 "
                    "non-tolerable side)",
                    "distinction": "D2",
                    "condition": "",
                },
                {
                    "code": "X4",
                    "text": "重复出现同样失误或过错的（不可抗拒等特殊情况除外）",
                    "source": {
                        "title": "关于进一步激励干部新时代新担当新作为 奋力推进“两个高水平”建设的实施意见",
                        "issuer": "中共浙江省委",
                        "date": "2018",
                        "note": "",
                    },
                    "confidence": "public_text",
                    "evidence": "DOMAIN.md attributes 'repeated errors are not "
                    "tolerated' to seed 002, whose text only says "
                    "有错必纠、有过必改; explicit wording from 大理州 (人民日报 "
                    "2019-06-21), "
                    "http://dangjian.people.com.cn/n1/2019/0621/c117092-31172179.html",
                    "distinction": "",
                    "condition": "",
                },
                {
                    "code": "X6",
                    "text": "拿容错当“保护伞”、搞纪律“松绑”，超出纪律红线、法律底线的",
                    "source": {
                        "title": "关于进一步激励干部新时代新担当新作为 奋力推进“两个高水平”建设的实施意见",
                        "issuer": "中共浙江省委",
                        "date": "2018",
                        "note": "",
                    },
                    "confidence": "seed",
                    "evidence": "seed 002 (浙江在线 2018-08-24)",
                    "distinction": "",
                    "condition": "",
                },
            ],
            "procedure": {
                "acceptance_days": 5,
                "investigation_days": 30,
                "investigation_extension_days": 15,
                "decision_days": 10,
                "feedback_days": 5,
                "appeal_window_days": 15,
                "published_outcomes": ["exempt"],
                "publication_scopes": ["unit", "system", "public"],
                "default_publication_scope": "unit",
                "quorum": "2/3",
                "majority": "1/2",
                "majority_base": "present",
                "reminder_days": 2,
            },
            "separations": [],
            "repeated_errors": {"exclusion": "X4", "look_back_years": 3, "effect": "refuse"},
        },
    },
]


def convert_and_seed(apps, schema_editor):
    Version = apps.get_model("tolerance", "PolicyVersion")
    Authority = apps.get_model("cadres", "Authority")
    for version in Version.objects.all():
        if version.authority_id is None:
            version.jurisdiction_code, version.jurisdiction_name = OLD_DEFAULT.get(
                version.code, ("", "")
            )
            version.label = "旧版本（{}）".format(version.title)[:100]
        else:
            authority = Authority.objects.get(pk=version.authority_id)
            units = sorted(authority.root_units.all(), key=lambda u: (u.depth, u.code))
            version.jurisdiction_code = units[0].code if units else ""
            version.jurisdiction_name = units[0].name if units else ""
        Version.objects.filter(pk=version.pk).update(
            jurisdiction_code=version.jurisdiction_code,
            jurisdiction_name=version.jurisdiction_name,
            label=version.label,
        )
    now = timezone.now()
    for row in MEASURES:
        values = dict(row)
        values["effective_from"] = dt.date.fromisoformat(values["effective_from"])
        Version.objects.create(status="published", published_at=now, **values)
    if schema_editor.connection.vendor == "postgresql":
        # Check the deferred foreign keys now, so that the ALTER TABLE below does not meet
        # pending trigger events in the same transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("tolerance", "0003_remedy_overdue_notified_on"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="policyversion",
            options={
                "ordering": ["jurisdiction_code", "-effective_from", "-id"],
                "verbose_name": "tolerance policy version",
                "verbose_name_plural": "tolerance policy versions",
            },
        ),
        migrations.AddField(
            model_name="policyversion",
            name="issuer",
            field=models.CharField(blank=True, max_length=100, verbose_name="issuing body"),
        ),
        migrations.AddField(
            model_name="policyversion",
            name="jurisdiction_code",
            field=models.CharField(
                blank=True,
                db_index=True,
                help_text="Code of the unit whose jurisdiction issued the measure (e.g. 3701 for 济南市). Authorities at that unit or below it use this version unless a nearer jurisdiction has one. Blank: wherever no jurisdiction up the tree has a version.",
                max_length=32,
                verbose_name="jurisdiction (unit code)",
            ),
        ),
        migrations.AddField(
            model_name="policyversion",
            name="jurisdiction_name",
            field=models.CharField(blank=True, max_length=64, verbose_name="jurisdiction"),
        ),
        migrations.AddField(
            model_name="policyversion",
            name="label",
            field=models.CharField(
                blank=True,
                help_text="For administrators only; never printed on a document.",
                max_length=100,
                verbose_name="internal label",
            ),
        ),
        migrations.AlterField(
            model_name="policyversion",
            name="note",
            field=models.TextField(
                blank=True,
                help_text="What the measure covers, and what its sources leave unsaid.",
                verbose_name="description",
            ),
        ),
        migrations.AlterField(
            model_name="policyversion",
            name="title",
            field=models.CharField(
                help_text="The measure's official name, as documents cite it, without 《》.",
                max_length=200,
                verbose_name="official title",
            ),
        ),
        migrations.RunPython(convert_and_seed, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="policyversion",
            name="authority",
        ),
    ]
