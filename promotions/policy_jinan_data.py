"""Seed defaults of Jinan's up/down sections (seed 000, 004), plain data only.

Part of promotions.policy_data.DEFAULT_CONTENT; parsed by promotions.policy_jinan. Each
jurisdiction's version may change, add or drop entries.

- `grounds`: the four grounds on which staff propose an adjustment (seed 004: 对不适宜、
  不胜任、不称职、不公认的“问题干部”，果断进行调整). The seeds name the grounds but list no
  concrete situations under them, so each ground's `situations` list starts empty; a
  version may add situations ({"code", "title"}) and the proposal form then offers them.
- `incompetent_grade`: an individual annual grade of 不称职 creates a proposal by rule.
- `exceptional`: exceptional promotion (破格提拔). Jinan's measures list 12 situations
  (seed 000: 提出了破格提拔干部的12种情形) but the seeds quote only three; those three are
  entered here, each with its source. `waivable` names the thresholds an exceptional
  promotion may waive; `ladder` is the leadership ranks (cadres.enums.Rank values) a
  normal promotion climbs one step at a time.
"""

from __future__ import annotations

from typing import Any

# Sources are shown to users: plain citations (seed 004 for the grounds; seed 000 and 004 for
# the exceptional-promotion situations).
GROUNDS_SOURCE = "济南市干部正向激励机制：对不适宜、不胜任、不称职、不公认的“问题干部”果断进行调整"

GROUNDS: list[dict[str, Any]] = [
    {
        "code": "unsuitable",
        "title": "不适宜担任现职",
        "source": GROUNDS_SOURCE,
        "situations": [],
    },
    {"code": "unfit", "title": "不胜任现职", "source": GROUNDS_SOURCE, "situations": []},
    {"code": "incompetent", "title": "不称职", "source": GROUNDS_SOURCE, "situations": []},
    {
        "code": "not_accepted",
        "title": "不被干部群众公认",
        "source": GROUNDS_SOURCE,
        "situations": [],
    },
]

INCOMPETENT_GRADE: dict[str, Any] = {"grades": ["incompetent"]}

EXCEPTIONAL: dict[str, Any] = {
    "declared_situations": 12,
    "situations": [
        {
            "code": "outstanding_results",
            "title": "工作实绩突出、群众基础较好",
            "source": "济南市干部破格提拔办法（例：谢允岗正科级任职年限不满3年，破格提拔为副处级）",
            "check": "",
        },
        {
            "code": "strong_grades",
            "title": "近3年年度考核均为“称职”以上、其中两次以上“优秀”",
            "source": "济南市市管领导班子和领导干部年度考核结果运用实施办法（试行）",
            "check": "grades",
        },
        {
            "code": "chucai",
            "title": "让人“眼前一亮、为之一振、如获至宝”的“出彩型”好干部",
            "source": "济南市干部正向激励机制：“出彩型”好干部大胆破格提拔",
            "check": "",
        },
    ],
    "waivable": ["years_in_rank", "rank_step"],
    "ladder": [45, 65, 85, 105, 115, 125, 135, 145],
}
