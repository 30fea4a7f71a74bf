"""The project's catalogs agree: one English message, one translation per language.

LOCALE_PATHS lists every folder under locale/, and Django takes the first catalog that has a
message, so two catalogs translating the same msgid differently make one of them silently
dead (a test expecting it fails only when that page is tested).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import polib
from django.conf import settings


def disagreements(locale_root: Path) -> list[str]:
    seen: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)
    for po_path in sorted(locale_root.glob("*/*/LC_MESSAGES/django.po")):
        language = po_path.parent.parent.name
        for entry in polib.pofile(str(po_path)):
            if entry.obsolete or not entry.msgstr or "fuzzy" in entry.flags:
                continue
            key = (language, entry.msgctxt or "", entry.msgid)
            seen[key][po_path.parts[-4]] = entry.msgstr
    return sorted(
        f"{language} {msgid!r}: {translations}"
        for (language, _ctx, msgid), translations in seen.items()
        if len(set(translations.values())) > 1
    )


def test_no_message_is_translated_two_ways():
    assert disagreements(Path(settings.BASE_DIR) / "locale") == []


def test_a_message_translated_two_ways_is_found(tmp_path):
    for catalog, text in (("one", "甲"), ("two", "乙")):
        folder = tmp_path / catalog / "zh_Hans" / "LC_MESSAGES"
        folder.mkdir(parents=True)
        po = polib.POFile()
        po.append(polib.POEntry(msgid="Same", msgstr=text))
        po.save(str(folder / "django.po"))
    assert disagreements(tmp_path) == ["zh_Hans 'Same': {'one': '甲', 'two': '乙'}"]
