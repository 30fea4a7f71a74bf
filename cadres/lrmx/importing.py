"""Importing .lrmx forms: one file or a zip of many, all or nothing.

`lrmx_import` first reads and checks every file (nothing is written while any file has a
problem), then creates the new cadres and updates the existing ones (matched by ID
number) in one transaction, with their position history from the résumé.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.formatting import mask_id_number
from core.models import User
from core.uploads import UploadRejected, read_member, safe_zip

from ..enums import ETHNICITIES, CadreStatus, MoveType
from ..models import Cadre, PositionRecord, Unit
from ..permissions import changeable_cadres, covering_authority_ids, may_place_cadre
from ..rules import pinyin_keys
from ..services import cadre_update, snapshot, validate_cadre_values
from .build import post_text
from .dossier import (
    DOSSIER_TAGS,
    DossierReading,
    dossier_apply,
    dossier_changes,
    label,
    read_dossier,
    unknown_elements,
)
from .parse import LrmxError, parse_lrmx, too_large
from .reading import Post, Reading, read_person

FIELD_LABELS = {
    "name": gettext_lazy("Name"),
    "national_id": gettext_lazy("National ID number"),
    "gender": gettext_lazy("Gender"),
    "birth_date": gettext_lazy("Birth date"),
    "party_join_date": gettext_lazy("Party membership date"),
    "work_start_date": gettext_lazy("Date of starting work"),
    "rank_since": gettext_lazy("Start of the current post"),
    "ethnicity": gettext_lazy("Ethnicity"),
    "native_place": gettext_lazy("Native place"),
    "position": gettext_lazy("Position"),
    "education": gettext_lazy("Education"),
}
# Fields an import may change on an existing cadre (its unit, rank and level stay).
UPDATE_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "native_place",
    "party_join_date",
    "work_start_date",
    "education",
    "position",
)


@dataclass
class LrmxFile:
    name: str  # for people: the path inside the zip, decoded
    data: bytes | None  # None when the member was refused before reading
    problems: list[str] = field(default_factory=list)


@dataclass
class FileOutcome:
    name: str
    cadre_name: str = ""
    masked_id: str = ""
    action: str = ""  # "create" or "update"
    problems: list[str] = field(default_factory=list)
    reading: Reading | None = None
    cadre: Cadre | None = None  # the existing cadre, for updates
    dossier: DossierReading | None = None
    # (element's Chinese name, "set" / "changed" / "same" / "left") for the report
    fields: list[tuple[str, str]] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # elements the product does not keep


@dataclass
class ImportReport:
    files: list[FileOutcome]
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not any(f.problems for f in self.files)

    @property
    def problem_files(self) -> list[FileOutcome]:
        return [f for f in self.files if f.problems]


@dataclass(frozen=True)
class Placement:
    """Where new cadres go; chosen on the import form."""

    unit: Unit
    management_level: str
    rank: int
    post_type: str


# ---- files -------------------------------------------------------------------------------


def _member_name(info) -> str:
    """Zip names without the UTF-8 flag are GBK on Chinese Windows, not cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def files_from_upload(filename: str, data: bytes) -> list[LrmxFile]:
    """The .lrmx files in an upload: the file itself, or the members of a zip."""
    if not data.startswith(b"PK\x03\x04"):
        return [LrmxFile(filename, data)]
    archive = safe_zip(data)
    files: list[LrmxFile] = []
    for info in archive.infolist():
        name = _member_name(info)
        base = name.rsplit("/", 1)[-1]
        if info.is_dir() or name.startswith("__MACOSX/") or base.startswith("._") or not base:
            continue
        lower = base.lower()
        if lower.endswith((".lrm", ".pic")):
            files.append(
                LrmxFile(
                    name,
                    None,
                    [
                        _(
                            "This is the old .lrm/.pic format; save it as .lrmx in the appointment "
                            "form software and upload that."
                        )
                    ],
                )
            )
        elif not lower.endswith(".lrmx"):
            files.append(LrmxFile(name, None, [_("Only .lrmx files are accepted in the zip.")]))
        elif info.file_size > settings.LRMX_MAX_BYTES:
            files.append(LrmxFile(name, None, [too_large()]))
        else:
            files.append(LrmxFile(name, read_member(archive, info.filename)))
        if len(files) > settings.LRMX_MAX_FILES_PER_ZIP:
            raise UploadRejected(
                _("The zip archive holds more than %(max)d files; nothing was imported.")
                % {"max": settings.LRMX_MAX_FILES_PER_ZIP}
            )
    if not files:
        raise UploadRejected(_("The zip archive holds no .lrmx file."))
    return files


# ---- checking ----------------------------------------------------------------------------


def _unit_index() -> tuple[list[str], dict[str, list[tuple[int, str]]]]:
    names: dict[str, list[tuple[int, str]]] = {}
    for pk, name, path in Unit.objects.values_list("pk", "name", "path"):
        names.setdefault(name, []).append((pk, path))
    return list(names), names


def _unit_for(name: str, index: dict[str, list[tuple[int, str]]], near: Unit) -> int | None:
    """The unit a résumé line names: the only one of that name, or the one near ``near``."""
    candidates = index.get(name, [])
    if len(candidates) == 1:
        return candidates[0][0]
    close = [
        pk for pk, path in candidates if path.startswith(near.path) or near.path.startswith(path)
    ]
    return close[0] if len(close) == 1 else None


def _labelled(field_name: str, message: str) -> str:
    return _("%(field)s: %(message)s") % {
        "field": FIELD_LABELS.get(field_name, field_name),
        "message": message,
    }


def _validation_messages(errors: dict[str, str]) -> list[str]:
    return [_labelled(f, message) for f, message in errors.items()]


def _changes(cadre: Cadre, values: dict[str, Any]) -> dict[str, Any]:
    """What the file changes; a month-precision date in the same month keeps its day."""
    changes = {}
    for name in UPDATE_FIELDS:
        new, old = values.get(name), getattr(cadre, name)
        if name in ("education", "ethnicity", "native_place") and not new:
            continue  # the file lacks the element: the stored value stays
        if name in ("party_join_date", "work_start_date") and new is None:
            continue
        if (
            name in ("party_join_date", "work_start_date")
            and new
            and old
            and (new.year, new.month) == (old.year, old.month)
        ):
            continue
        if new != old:
            changes[name] = new
    return changes


def check_files(
    files: list[LrmxFile],
    *,
    actor: User,
    placement: Placement,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Read and check every file; write nothing. `progress` hears (files read, files)."""
    today = today or timezone.localdate()
    unit_names, unit_index = _unit_index()
    outcomes: list[FileOutcome] = []
    persons = {}
    for read, upload in enumerate(files):
        if progress is not None:
            progress(read, len(files))
        outcome = FileOutcome(upload.name, problems=list(upload.problems))
        outcomes.append(outcome)
        if upload.data is None:
            continue
        try:
            persons[id(outcome)] = parse_lrmx(upload.data)
        except LrmxError as exc:
            outcome.problems.append(str(exc))
    numbers = {persons[id(o)]["ShenFenZheng"].strip().upper() for o in outcomes if id(o) in persons}
    existing = {
        c.national_id: c
        for c in Cadre.objects.filter(national_id__in=numbers).select_related("unit", "dossier")
    }
    changeable = set(
        changeable_cadres(actor)
        .filter(national_id__in=numbers)
        .values_list("national_id", flat=True)
    )
    may_create = may_place_cadre(
        actor, unit=placement.unit, management_level=placement.management_level
    )
    seen: dict[str, str] = {}
    for outcome in outcomes:
        person = persons.get(id(outcome))
        if person is None:
            continue
        number = person["ShenFenZheng"].strip().upper()
        cadre = existing.get(number)
        reading = read_person(
            person,
            unit_names=unit_names,
            current_unit_name=cadre.unit.name if cadre else placement.unit.name,
            ethnicities=ETHNICITIES,
        )
        outcome.reading, outcome.cadre = reading, cadre
        outcome.dossier = read_dossier(person)
        outcome.problems.extend(outcome.dossier.problems)
        outcome.dropped = [label(tag) for tag in unknown_elements(person)]
        outcome.fields = _field_report(person, cadre, reading, outcome.dossier)
        outcome.cadre_name = reading.values.get("name", "")
        outcome.masked_id = mask_id_number(number)
        outcome.problems.extend(reading.problems)
        if number and number in seen:
            outcome.problems.append(
                _("The same national ID number is in %(other)s too.") % {"other": seen[number]}
            )
        seen.setdefault(number, outcome.name)
        if cadre is not None:
            outcome.action = "update"
            if number not in changeable:
                outcome.problems.append(
                    _(
                        "A cadre with this national ID number already exists "
                        "and you may not change their record."
                    )
                )
                continue
            merged = {
                **{f: getattr(cadre, f) for f in ("rank_since",)},
                **{f: getattr(cadre, f) for f in UPDATE_FIELDS},
                **_changes(cadre, reading.values),
                "national_id": number,
            }
            outcome.problems.extend(
                _validation_messages(validate_cadre_values(merged, today=today))
            )
        else:
            outcome.action = "create"
            if not may_create:
                outcome.problems.append(
                    _("You may not add cadres of this management level to the chosen unit.")
                )
            if not reading.values.get("ethnicity"):
                outcome.problems.append(
                    _("The form has no ethnicity (MinZu); a new cadre needs one.")
                )
            if reading.values.get("rank_since") is None and not person["JianLi"].strip():
                outcome.problems.append(
                    _("The résumé is empty, so the start of the current post is unknown.")
                )
            complete = reading.values.get("rank_since") is not None and reading.values["ethnicity"]
            if not reading.problems and complete:
                outcome.problems.extend(
                    _validation_messages(validate_cadre_values(reading.values, today=today))
                )
                _check_model(reading.values, placement, outcome)
    return ImportReport(files=outcomes)


# Cadre fields and the element each comes from, for the report.
CADRE_TAGS = {
    "name": "XingMing",
    "gender": "XingBie",
    "birth_date": "ChuShengNianYue",
    "ethnicity": "MinZu",
    "native_place": "JiGuan",
    "party_join_date": "RuDangShiJian",
    "work_start_date": "CanJiaGongZuoShiJian",
    "education": "QuanRiZhiJiaoYu_XueLi",
    "position": "XianRenZhiWu",
}


def _field_report(person, cadre, reading: Reading, dossier: DossierReading):
    """Per element: set (new value), changed, same, or left (the file lacks it)."""
    changes = _changes(cadre, reading.values) if cadre is not None else None
    report = []
    for name, tag in CADRE_TAGS.items():
        if not person[tag] and name != "position":
            report.append((label(tag), "left"))
        elif changes is None:
            report.append((label(tag), "set"))
        else:
            report.append((label(tag), "changed" if name in changes else "same"))
    statuses = dossier_changes(cadre.dossier if _has_dossier(cadre) else None, dossier)
    for tag, name in DOSSIER_TAGS.items():
        report.append((label(tag), statuses.get(name, "left")))
    report.append((label("JiaTingChengYuan"), "left" if dossier.family is None else "set"))
    report.append((label("ZhaoPian"), "left" if dossier.photo is None else "set"))
    return report


def _has_dossier(cadre) -> bool:
    if cadre is None:
        return False
    try:
        cadre.dossier  # noqa: B018  (select_related in check_files)
    except Cadre.dossier.RelatedObjectDoesNotExist:
        return False
    return True


def _new_cadre(values: dict[str, Any], placement: Placement) -> Cadre:
    pinyin, initials = pinyin_keys(values["name"])
    return Cadre(
        name_pinyin=pinyin,
        name_initials=initials,
        unit=placement.unit,
        management_level=placement.management_level,
        rank=placement.rank,
        post_type=placement.post_type,
        status=CadreStatus.SERVING,
        **{
            k: values[k]
            for k in (
                "name",
                "gender",
                "ethnicity",
                "birth_date",
                "national_id",
                "native_place",
                "party_join_date",
                "work_start_date",
                "education",
                "position",
                "rank_since",
            )
        },
    )


def _check_model(values: dict[str, Any], placement: Placement, outcome: FileOutcome) -> None:
    try:
        _new_cadre(values, placement).full_clean(
            exclude=["unit"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            outcome.problems.extend(_labelled(name, m) for m in messages)


# ---- writing -----------------------------------------------------------------------------


def _records(cadre: Cadre, posts: list[Post], index, near: Unit) -> list[PositionRecord]:
    records = []
    for number, post in enumerate(posts):
        records.append(
            PositionRecord(
                cadre=cadre,
                start_date=post.start,
                end_date=post.end,
                unit_id=_unit_for(post.unit_name, index, near) if post.unit_name else None,
                unit_name=post.unit_name,
                title=post.title,
                move=MoveType.APPOINTED if number == 0 else MoveType.LATERAL,
                note=post.note,
            )
        )
    return records


def _key(start: dt.date, text: str) -> tuple[int, int, str]:
    return start.year, start.month, text


def _merge_history(cadre: Cadre, posts: list[Post], index) -> tuple[int, int]:
    """Add the résumé posts the cadre's history lacks; close posts the file ends.

    History is evidence: nothing is deleted. Returns (added, closed).
    """
    existing = list(cadre.positions.select_related("unit"))
    by_key = {
        _key(p.start_date, post_text(p.unit_name or (p.unit.name if p.unit else ""), p.title)): p
        for p in existing
    }
    added: list[PositionRecord] = []
    closed = 0
    matched: set[int] = set()
    for post in posts:
        record = by_key.get(_key(post.start, post.text))
        if record is None:
            added.extend(_records(cadre, [post], index, cadre.unit))
            continue
        matched.add(record.pk)
        same_end = (record.end_date is None) == (post.end is None) and (
            post.end is None
            or (record.end_date.year, record.end_date.month) == (post.end.year, post.end.month)
        )
        if not same_end:
            record.end_date = max(post.end, record.start_date) if post.end else None
            record.save(update_fields=["end_date"])
            closed += 1
    new_open = [r.start_date for r in added if r.end_date is None]
    if new_open:
        newest = max(new_open)
        for record in existing:
            if record.pk not in matched and record.end_date is None and record.start_date <= newest:
                record.end_date = max(newest, record.start_date)
                record.save(update_fields=["end_date"])
                closed += 1
    for number, record in enumerate(added):
        record.move = MoveType.LATERAL if existing or number else MoveType.APPOINTED
    PositionRecord.objects.bulk_create(added)
    return len(added), closed


def _dossier_audit(dossier: DossierReading) -> dict[str, Any]:
    """What the form details brought (names only: the texts stay in the dossier)."""
    out: dict[str, Any] = {}
    if dossier.values:
        out["form_details"] = sorted(dossier.values)
    if dossier.family is not None:
        out["family_members"] = len(dossier.family)
    if dossier.photo is not None:
        out["photo"] = True
    return out


def lrmx_import(
    files: list[LrmxFile],
    *,
    actor: User,
    placement: Placement,
    filename: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Check everything; if all is well, create and update in one transaction."""
    report = check_files(files, actor=actor, placement=placement, progress=progress)
    if progress is not None:
        progress(len(files), len(files))
    if not report.ok:
        return report
    _names, index = _unit_index()
    creates = [o for o in report.files if o.action == "create"]
    updates = [o for o in report.files if o.action == "update"]
    reason = _("Imported from %(file)s") % {"file": filename or "lrmx"}
    try:
        with transaction.atomic():
            new = [_new_cadre(o.reading.values, placement) for o in creates]
            Cadre.objects.bulk_create(new)
            if any(c.pk is None for c in new):  # backends that return no ids
                ids = dict(
                    Cadre.objects.filter(national_id__in=[c.national_id for c in new]).values_list(
                        "national_id", "pk"
                    )
                )
                for cadre in new:
                    cadre.pk = cadre.id = ids[cadre.national_id]
            records = []
            for cadre, outcome in zip(new, creates, strict=True):
                records.extend(_records(cadre, outcome.reading.posts, index, placement.unit))
            PositionRecord.objects.bulk_create(records)
            for cadre, outcome in zip(new, creates, strict=True):
                dossier_apply(cadre, outcome.dossier)
            entries = [
                (
                    cadre,
                    None,
                    {
                        **snapshot(cadre),
                        "file": o.name,
                        "created": True,
                        "positions": len(o.reading.posts),
                        **_dossier_audit(o.dossier),
                    },
                )
                for cadre, o in zip(new, creates, strict=True)
            ]
            for outcome in updates:
                cadre = outcome.cadre
                changes = _changes(cadre, outcome.reading.values)
                if changes:
                    cadre = cadre_update(cadre, actor=actor, changes=changes, reason=reason)
                added, closed = _merge_history(cadre, outcome.reading.posts, index)
                dossier_apply(cadre, outcome.dossier)
                entries.append(
                    (
                        cadre,
                        None,
                        {
                            "file": outcome.name,
                            "created": False,
                            "changed": sorted(changes),
                            "positions_added": added,
                            "positions_closed": closed,
                            **_dossier_audit(outcome.dossier),
                        },
                    )
                )
            placed = [(cadre.unit.path, cadre.management_level) for cadre, _b, _a in entries]
            covering = covering_authority_ids(placed)
            audit.record_many(
                "cadre.lrmx.import",
                actor=actor,
                entries=entries,
                reason=reason,
                authority_ids=[covering[p] for p in placed],
            )
    except (IntegrityError, PermissionDenied, ValidationError):
        for outcome in report.files:
            outcome.problems.append(
                _(
                    "Someone else changed these cadres while the files were "
                    "being imported. Nothing was imported; try again."
                )
            )
        return report
    report.created, report.updated = len(creates), len(updates)
    return report
