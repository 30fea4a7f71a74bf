"""奖惩情况 of the .lrmx export and the 任免审批表 (cadres.lrmx.sources): the accountability
matters (问责事项) that count against a cadre, one line each.

A matter a tolerance conclusion or a clarification cleared (免责, 澄清正名) is left out:
seed 003, a cadre granted tolerance is not affected in selection and appointment. A
lighter or mitigated conclusion is named after the action. Matters without an
accountability action are not sanctions and are left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import pgettext

from .effects import Effect, matter_effects
from .models import AccountabilityMatter

CONTEXT = "tolerance document"


@dataclass(frozen=True)
class SanctionRow:
    occurred_on: dt.date
    title: str
    action_by: str
    action: str
    document_ref: str


def sanction_line(row: SanctionRow, *, reduced_as: str = "") -> str:
    """``2025.03 因乡村振兴试点项目资金拨付偏差，县纪委监委拟给予诫勉（甲纪〔2025〕3号）``,
    with ``，经容错认定从轻处理`` when a tolerance conclusion reduced it. Pure."""
    ref = f"（{row.document_ref}）" if row.document_ref else ""
    line = pgettext(CONTEXT, "%(month)s for %(title)s, %(by)s %(action)s%(ref)s") % {
        "month": f"{row.occurred_on:%Y.%m}",
        "title": row.title,
        "by": row.action_by,
        "action": row.action,
        "ref": ref,
    }
    if reduced_as:
        line += pgettext(CONTEXT, ", reduced by a tolerance conclusion to %(outcome)s") % {
            "outcome": reduced_as
        }
    return line


def sanction_lines(cadre_ids: list[int]) -> dict[int, str]:
    """{cadre id: lines} of the matters that count against each cadre, oldest first; three
    queries (matters, tolerance conclusions, clarifications)."""
    from .rulings import outcome_name

    links = (
        AccountabilityMatter.cadres.through.objects.filter(cadre_id__in=cadre_ids)
        .exclude(accountabilitymatter__action="")
        .select_related("accountabilitymatter")
        .order_by("cadre_id", "accountabilitymatter__occurred_on", "accountabilitymatter_id")
    )
    pairs = [(link.accountabilitymatter_id, link.cadre_id) for link in links]
    effects = matter_effects(pairs)
    lines: dict[int, list[str]] = {}
    with translation.override("zh-hans"):
        for link in links:
            matter = link.accountabilitymatter
            effect = effects[(matter.pk, link.cadre_id)]
            if effect.effect == Effect.CLEARED:
                continue
            row = SanctionRow(
                matter.occurred_on, matter.title, matter.action_by, matter.action,
                matter.document_ref,
            )  # fmt: skip
            reduced = outcome_name(effect.outcome) if effect.effect == Effect.REDUCED else ""
            lines.setdefault(link.cadre_id, []).append(sanction_line(row, reduced_as=reduced))
    return {cadre_id: "\n".join(items) for cadre_id, items in lines.items()}
