"""The roster workbook layout and its cell rules: pure values, no ORM.

The headers and the labels of the choice columns are the fixed Chinese template that
organization departments fill in; they are file format, not UI text, so they are written
here as data (like `cadres.enums.ETHNICITIES`) and never translated. Import, export and the
blank template all read this one table, so an export re-imports cleanly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.sheets.cells import CellError, cell_text, parse_date

from ..enums import (
    ETHNICITIES,
    CadreStatus,
    Education,
    Gender,
    ManagementLevel,
    PostType,
    Rank,
)
from ..rules import normalize_id_number

SHEET_NAME = "干部名册"
DATE_FORMAT = "yyyy-mm-dd"

# Cell kinds: how a raw cell becomes a value.
TEXT, NAME, DATE, CHOICE, ETHNICITY, NATIONAL_ID = (
    "text",
    "name",
    "date",
    "choice",
    "ethnicity",
    "national_id",
)

GENDER_LABELS = {Gender.MALE: "男", Gender.FEMALE: "女"}
EDUCATION_LABELS = {
    Education.DOCTORATE: "博士研究生",
    Education.MASTER: "硕士研究生",
    Education.BACHELOR: "大学",
    Education.COLLEGE: "大专",
    Education.SECONDARY: "中专及以下",
}
POST_TYPE_LABELS = {PostType.LEADERSHIP: "领导职务", PostType.NON_LEADERSHIP: "非领导职务"}
RANK_LABELS = {
    Rank.CLERK_2: "二级科员",
    Rank.CLERK_1: "一级科员",
    Rank.PRINCIPAL_STAFF_4: "四级主任科员",
    Rank.PRINCIPAL_STAFF_3: "三级主任科员",
    Rank.SECTION_DEPUTY: "乡科级副职",
    Rank.PRINCIPAL_STAFF_2: "二级主任科员",
    Rank.PRINCIPAL_STAFF_1: "一级主任科员",
    Rank.SECTION_CHIEF: "乡科级正职",
    Rank.RESEARCHER_4: "四级调研员",
    Rank.RESEARCHER_3: "三级调研员",
    Rank.COUNTY_DEPUTY: "县处级副职",
    Rank.RESEARCHER_2: "二级调研员",
    Rank.RESEARCHER_1: "一级调研员",
    Rank.COUNTY_CHIEF: "县处级正职",
    Rank.INSPECTOR_2: "二级巡视员",
    Rank.BUREAU_DEPUTY: "厅局级副职",
    Rank.INSPECTOR_1: "一级巡视员",
    Rank.BUREAU_CHIEF: "厅局级正职",
    Rank.MINISTER_DEPUTY: "省部级副职",
    Rank.MINISTER: "省部级正职",
}
MANAGEMENT_LEVEL_LABELS = {
    ManagementLevel.PROVINCE: "省管",
    ManagementLevel.CITY: "市管",
    ManagementLevel.COUNTY: "县管",
}
STATUS_LABELS = {
    CadreStatus.SERVING: "在职",
    CadreStatus.SUSPENDED: "停职",
    CadreStatus.RETIRED: "退休",
    CadreStatus.LEFT: "离职",
    CadreStatus.DECEASED: "去世",
}
# Spellings people commonly type for the same value (read only; exports write the labels).
EDUCATION_ALIASES = {
    "博士": Education.DOCTORATE,
    "硕士": Education.MASTER,
    "本科": Education.BACHELOR,
    "大学本科": Education.BACHELOR,
    "专科": Education.COLLEGE,
    "大学专科": Education.COLLEGE,
}


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str
    required: bool
    max_length: int = 0
    labels: dict | None = None  # value → label, for CHOICE columns
    aliases: dict | None = None  # extra label → value accepted on import

    def lookup(self) -> dict[str, object]:
        """label → value accepted on import."""
        table = {label: value for value, label in (self.labels or {}).items()}
        table.update(self.aliases or {})
        return table


COLUMNS: tuple[Column, ...] = (
    Column("姓名", "name", NAME, True, 64),
    Column("性别", "gender", CHOICE, True, labels=GENDER_LABELS),
    Column("民族", "ethnicity", ETHNICITY, True),
    Column("出生日期", "birth_date", DATE, True),
    Column("身份证号", "national_id", NATIONAL_ID, True),
    Column("籍贯", "native_place", TEXT, False, 64),
    Column("入党时间", "party_join_date", DATE, False),
    Column("参加工作时间", "work_start_date", DATE, False),
    Column("学历", "education", CHOICE, False, labels=EDUCATION_LABELS, aliases=EDUCATION_ALIASES),
    Column("单位代码", "unit_code", TEXT, True, 32),
    Column("职务", "position", TEXT, True, 128),
    Column("职务类型", "post_type", CHOICE, True, labels=POST_TYPE_LABELS),
    Column("职级", "rank", CHOICE, True, labels=RANK_LABELS),
    Column("任现职级时间", "rank_since", DATE, True),
    Column("管理权限", "management_level", CHOICE, True, labels=MANAGEMENT_LEVEL_LABELS),
    Column("状态", "status", CHOICE, True, labels=STATUS_LABELS),
)
HEADERS = tuple(c.header for c in COLUMNS)
HEADER_OF_FIELD = {c.field: c.header for c in COLUMNS}
# Model fields an import writes (unit_code becomes unit_id).
CADRE_FIELDS = tuple(c.field for c in COLUMNS if c.field != "unit_code") + ("unit_id",)

_ETHNICITIES = frozenset(ETHNICITIES)
_HINT = re.compile(r"[(（].*?[)）]")


def normalize_header(raw: object) -> str:
    """`性别(男/女)*` → `性别`: hints in brackets, required marks and spaces are dropped."""
    text = _HINT.sub("", str(raw or ""))
    return re.sub(r"[\s*＊]", "", text)


def parse_cell(column: Column, raw: object, lookup: dict[str, object] | None = None):
    """One cell → the model value (None when blank); raises CellError."""
    kind = column.kind
    if kind == DATE:
        value = parse_date(raw)
    elif kind == NATIONAL_ID:
        value = _parse_national_id(raw)
    else:
        text = cell_text(raw)
        if kind == NAME:
            text = re.sub(r"\s+", "", text)
        if not text:
            value = None
        elif kind == CHOICE:
            table = lookup if lookup is not None else column.lookup()
            if text not in table:
                raise CellError("choice", allowed="、".join(column.labels.values()))
            value = table[text]
        elif kind == ETHNICITY:
            value = _parse_ethnicity(text)
        else:
            value = text
        if column.max_length and value is not None and len(value) > column.max_length:
            raise CellError("too_long", max=column.max_length)
    if value is None and column.required:
        raise CellError("required")
    return value


def _parse_national_id(raw: object) -> str | None:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        # Excel keeps 15 significant digits: an 18-digit number typed as a number is lost.
        raise CellError("id_number_cell")
    number = normalize_id_number(str(raw or ""))
    if "*" in number:
        raise CellError("id_masked")
    return number or None


def _parse_ethnicity(text: str) -> str:
    if text in _ETHNICITIES:
        return text
    if text + "族" in _ETHNICITIES:
        return text + "族"
    raise CellError("ethnicity")


def export_row(values: dict) -> list[object]:
    """A cadre's values (field → model value, plus unit_code) in column order."""
    row: list[object] = []
    for column in COLUMNS:
        value = values.get(column.field)
        if column.kind == CHOICE and value not in (None, ""):
            value = column.labels[value]
        row.append("" if value is None else value)
    return row
