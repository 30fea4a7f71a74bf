"""Reading an .lrmx file: bytes → LrmxPerson, checked by content, never trusting the name.

XML is parsed only with defusedxml with DTDs, entities and external references forbidden
(a "billion laughs" file is refused, not expanded). Pure: no ORM.
"""

from __future__ import annotations

import codecs
import re
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
import filetype
from defusedxml import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext as _

from .schema import LrmxPerson

_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.\-]+)["']""")
_EXPAT_ENCODINGS = {
    "utf-8",
    "utf8",
    "utf-16",
    "utf16",
    "us-ascii",
    "ascii",
    "iso-8859-1",
    "latin-1",
    "latin1",
}


class LrmxError(ValueError):
    """The file is not a readable .lrmx; the message says why, in the user's language."""


def _describe_binary(data: bytes) -> str | None:
    kind = filetype.guess(data)
    if kind is None:
        return None
    return _("The file is a %(kind)s file (%(mime)s), not an .lrmx form.") % {
        "kind": kind.extension.upper(),
        "mime": kind.mime,
    }


def _as_utf8(data: bytes) -> bytes:
    """Re-encode a GBK/GB2312/GB18030-declared file to UTF-8 (expat reads only UTF-*)."""
    data = data.removeprefix(codecs.BOM_UTF8)
    match = _DECLARED.match(data[:200])
    if not match:
        return data
    declared = match[1].decode("ascii").lower()
    if declared in _EXPAT_ENCODINGS:
        return data
    try:
        text = data.decode(declared)
    except (LookupError, UnicodeDecodeError):
        raise LrmxError(
            _("The file declares the text encoding %(encoding)s but is not written in it.")
            % {"encoding": declared}
        ) from None
    text = re.sub(r"""^\s*<\?xml[^>]*\?>""", '<?xml version="1.0" encoding="utf-8"?>', text)
    return text.encode("utf-8")


def too_large() -> str:
    limit = settings.LRMX_MAX_BYTES
    if limit >= 2**20:
        return _("The .lrmx file is larger than %(mb)d MB.") % {"mb": limit // 2**20}
    return _("The .lrmx file is larger than %(kb)d KB.") % {"kb": max(1, limit // 2**10)}


def parse_lrmx(data: bytes) -> LrmxPerson:
    """The form in an .lrmx file, or LrmxError."""
    if len(data) > settings.LRMX_MAX_BYTES:
        raise LrmxError(too_large())
    if not data.strip():
        raise LrmxError(_("The file is empty."))
    binary = _describe_binary(data)
    if binary:
        raise LrmxError(binary)
    if not data.lstrip(codecs.BOM_UTF8 + b" \t\r\n").startswith(b"<"):
        raise LrmxError(_("The file is not XML, so it is not an .lrmx form."))
    try:
        root = SafeET.fromstring(
            _as_utf8(data), forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException:
        raise LrmxError(
            _("The file contains a DTD or entity declarations, which are refused for safety.")
        ) from None
    except ParseError as exc:
        raise LrmxError(
            _("The XML of the file is damaged (%(detail)s).") % {"detail": str(exc)}
        ) from None
    tag = root.tag.rsplit("}", 1)[-1]
    if tag != "Person":
        raise LrmxError(
            _(
                "The XML root element is <%(tag)s>, not <Person>: this is not an "
                ".lrmx appointment form."
            )
            % {"tag": tag[:40]}
        )
    person = LrmxPerson()
    max_family = settings.LRMX_MAX_FAMILY_MEMBERS
    for child in root:
        name = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
        if not name:
            continue
        if name == "JiaTingChengYuan":
            for item in child:
                member = {
                    m.tag.rsplit("}", 1)[-1]: (m.text or "").strip()
                    for m in item
                    if isinstance(m.tag, str)
                }
                if any(member.values()):
                    person.family.append(member)
                if len(person.family) > max_family:
                    raise LrmxError(
                        _(
                            "The form lists more than %(max)d family members and social "
                            "relations; nothing was imported."
                        )
                        % {"max": max_family}
                    )
            continue
        person.fields[name] = (child.text or "").strip()
    _check_resume_length(person["JianLi"])
    return person


def _check_resume_length(text: str) -> None:
    limit = settings.LRMX_MAX_RESUME_LINES
    lines = sum(1 for line in text.splitlines() if line.strip())
    if lines > limit:
        raise LrmxError(
            _(
                "The résumé (JianLi) has %(lines)d lines, more than the %(max)d allowed; "
                "nothing was imported."
            )
            % {"lines": lines, "max": limit}
        )
