"""Text the .lrmx export fills from records other apps keep (年度考核结果 from the annual
grades, 奖惩情况 from commendations), without cadres importing those apps: each app
registers a source in its AppConfig.ready().

A source takes cadre ids and returns ``{cadre id: text}`` (Chinese, as printed on the form),
with a constant number of queries.
"""

from __future__ import annotations

from collections.abc import Callable

Source = Callable[[list[int]], dict[int, str]]
_SOURCES: dict[str, list[tuple[int, Source]]] = {}
FILLED_TAGS = ("JiangChengQingKuang", "NianDuKaoHeJieGuo")


def register(tag: str, source: Source, *, order: int = 0) -> None:
    """Add a source of ``tag``; the texts of several sources follow their ``order``
    (奖惩情况: commendations 0, then sanctions 1), whatever the order apps load in."""
    if tag not in FILLED_TAGS:
        raise ValueError(f"{tag} is not filled from records")
    sources = _SOURCES.setdefault(tag, [])
    if all(known is not source for _order, known in sources):
        sources.append((order, source))
        sources.sort(key=lambda item: item[0])


def filled(cadre_ids: list[int]) -> dict[int, dict[str, str]]:
    """{cadre id: {tag: text}} for the cadres that have records."""
    out: dict[int, dict[str, str]] = {}
    for tag, sources in _SOURCES.items():
        for _order, source in sources:
            for cadre_id, text in source(cadre_ids).items():
                if text:
                    current = out.setdefault(cadre_id, {}).get(tag, "")
                    out[cadre_id][tag] = f"{current}\n{text}" if current else text
    return out
