"""Pure generation of the demo data set: the unit tree and invented cadres with careers.

No database access here: the seed_demo command turns these plain values into rows.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from cadres.enums import CadreStatus, Education, ManagementLevel, MoveType, PostType, Rank, UnitKind
from cadres.models import Unit
from cadres.rules import id_check_code, pinyin_keys
from demo import cadres_data as D

COUNTY_CODES = frozenset(code for code, _name, _kind, _short, _towns in D.COUNTIES)


@dataclass
class UnitSpec:
    code: str
    name: str
    kind: str
    parent: str | None
    category: str | None = None
    slots: str | None = None  # key of demo_data.SLOTS
    head: str = ""  # department head's title
    k: str = ""  # 县 or 区
    area: str | None = None  # the county, district or park the unit lies in
    path: str = ""
    depth: int = 0
    numchild: int = 0


@dataclass
class Slot:
    unit: UnitSpec
    title: str
    rank: int
    post_type: str
    principal: bool


def unit_specs() -> list[UnitSpec]:
    """The demo unit tree, parents before children."""
    city = D.CITY_CODE
    specs = [
        UnitSpec(D.ROOT_CODE, D.ROOT_NAME, UnitKind.PROVINCE, None),
        UnitSpec(city, D.CITY_NAME, UnitKind.CITY, D.ROOT_CODE, slots="city"),
    ]
    slot_keys = {
        UnitKind.DEPARTMENT: "city_dept",
        UnitKind.PARK: "park",
        UnitKind.SOE: "soe",
        UnitKind.UNIVERSITY: "university",
    }
    for suffix, name, head, kind, category in D.CITY_UNITS:
        code = city + suffix
        area = code if kind == UnitKind.PARK else None
        specs.append(UnitSpec(code, name, kind, city, category, slot_keys[kind], head, area=area))
        for street_code, street_name in D.PARK_STREETS.get(suffix, []):
            specs.append(
                UnitSpec(
                    street_code, street_name, UnitKind.TOWNSHIP, code, "street", "street", area=code
                )
            )
    for code, name, kind, _short, townships in D.COUNTIES:
        is_county = kind == UnitKind.COUNTY
        k = "县" if is_county else "区"
        specs.append(
            UnitSpec(
                code,
                name,
                kind,
                city,
                "county" if is_county else "district",
                "county",
                k=k,
                area=code,
            )
        )
        for suffix, dept, head in D.COUNTY_DEPTS if is_county else D.DISTRICT_DEPTS:
            specs.append(
                UnitSpec(
                    code + suffix,
                    name + dept,
                    UnitKind.DEPARTMENT,
                    code,
                    "county_dept",
                    "county_dept",
                    head,
                    area=code,
                )
            )
        for t_code, t_name, category, villages in townships:
            slots = "town" if t_name.endswith("镇") else "street"
            specs.append(
                UnitSpec(t_code, name + t_name, UnitKind.TOWNSHIP, code, category, slots, area=code)
            )
            for v_code, v_name in villages:
                v_slots = "community" if v_name.endswith("社区") else "village"
                specs.append(
                    UnitSpec(
                        v_code, t_name + v_name, UnitKind.VILLAGE, t_code, slots=v_slots, area=code
                    )
                )
    return specs


def assign_paths(specs: list[UnitSpec], root_path: str) -> None:
    """Materialized paths as treebeard builds them, siblings ordered by code."""
    by_code = {s.code: s for s in specs}
    children: dict[str, list[UnitSpec]] = {}
    for spec in specs:
        if spec.parent:
            children.setdefault(spec.parent, []).append(spec)
    root = specs[0]
    root.path, root.depth = root_path, 1
    for spec in specs:  # parents come first, so each parent's path is known
        kids = sorted(children.get(spec.code, []), key=lambda s: s.code)
        spec.numchild = len(kids)
        for step, kid in enumerate(kids, start=1):
            kid.depth = by_code[spec.code].depth + 1
            kid.path = Unit._get_path(spec.path, kid.depth, step)


def plan_slots(specs: list[UnitSpec], count: int, rng: random.Random) -> list[Slot]:
    """`count` posts spread over the units: round after round, each unit's next post."""
    units = [s for s in specs if s.slots]
    rng.shuffle(units)
    plan: list[Slot] = []
    rnd = 0
    while len(plan) < count:
        for unit in units:
            table = D.SLOTS[unit.slots]
            if rnd < len(table):
                title, rank, post = table[rnd]
            elif unit.slots in ("village", "community"):
                continue
            else:
                local = unit.slots in ("county_dept", "town", "street")
                extra = D.EXTRA_SLOTS["county_level" if local else "city_level"]
                title, rank, post = extra[(rnd - len(table)) % len(extra)]
            title = title.format(head=unit.head, k=unit.k)
            principal = rnd < 2 and post == PostType.LEADERSHIP
            plan.append(Slot(unit, title, rank, post, principal))
            if len(plan) == count:
                break
        rnd += 1
    return plan


class PeopleMaker:
    """Invents cadres for planned posts: names, ID numbers, dates and careers."""

    def __init__(self, specs: list[UnitSpec], rng: random.Random, anchor: dt.date):
        self.rng = rng
        self.anchor = anchor
        self.used_ids: set[str] = set()
        self.shorts = {code: short for code, _n, _k, short, _t in D.COUNTIES}
        self.shorts[D.CITY_CODE + "P01"] = "高新组"
        self.by_rank: dict[int, list[tuple[UnitSpec, str, str]]] = {}
        for spec in specs:
            for title, rank, post in D.SLOTS.get(spec.slots or "", []):
                entry = (spec, title.format(head=spec.head, k=spec.k), post)
                self.by_rank.setdefault(rank, []).append(entry)
        weights = [1.0 / (i + 8) for i in range(len(D.SURNAMES))]
        self.surname_weights = weights

    # -- identity
    def name(self, gender: str, index: int) -> str:
        rng = self.rng
        surname = (
            rng.choice(D.DOUBLE_SURNAMES)
            if rng.random() < 0.01
            else rng.choices(D.SURNAMES, weights=self.surname_weights)[0]
        )
        pool = D.MALE_CHARS if gender == "M" else D.FEMALE_CHARS
        given = [rng.choice(pool) for _ in range(1 if rng.random() < 0.3 else 2)]
        if index % 40 == 3:  # a few names carry a rare character
            given[-1] = D.RARE_CHARS[(index // 40) % len(D.RARE_CHARS)]
        return surname + "".join(given)

    def id_number(self, birth: dt.date, gender: str, area: str | None) -> str:
        rng = self.rng
        regions = sorted(D.REGIONS)
        region = area if area in D.REGIONS and rng.random() < 0.6 else rng.choice(regions)
        while True:
            order = rng.randrange(0, 500) * 2 + (1 if gender == "M" else 0)
            first17 = f"{region}{birth:%Y%m%d}{order:03d}"
            number = first17 + id_check_code(first17)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def education(self, rank: int, unit: UnitSpec) -> str:
        r = self.rng.random()
        if unit.kind == UnitKind.UNIVERSITY:
            return Education.DOCTORATE if r < 0.6 else Education.MASTER
        if rank >= Rank.RESEARCHER_4:
            return [Education.DOCTORATE, Education.MASTER, Education.BACHELOR][
                0 if r < 0.06 else 1 if r < 0.5 else 2
            ]
        if rank >= Rank.PRINCIPAL_STAFF_3:
            return [Education.MASTER, Education.BACHELOR, Education.COLLEGE][
                0 if r < 0.2 else 1 if r < 0.88 else 2
            ]
        return [Education.MASTER, Education.BACHELOR, Education.COLLEGE][
            0 if r < 0.25 else 1 if r < 0.9 else 2
        ]

    # -- one cadre
    def cadre(self, slot: Slot, index: int) -> tuple[dict, list[dict]]:
        rng, anchor = self.rng, self.anchor
        female_share = 0.22 if slot.post_type == PostType.LEADERSHIP else 0.4
        gender = "F" if rng.random() < female_share else "M"
        lo, hi = D.AGE_RANGE[slot.rank]
        age = rng.randint(lo, hi)
        birth = dt.date(anchor.year - age - 1, 1, 1) + dt.timedelta(days=rng.randrange(365))
        education = self.education(slot.rank, slot.unit)
        start_age = {
            Education.DOCTORATE: 28,
            Education.MASTER: 25,
            Education.BACHELOR: 22,
            Education.COLLEGE: 20,
            Education.SECONDARY: 18,
        }[education]
        work_start = dt.date(
            birth.year + start_age + rng.randint(0, 1), rng.choice((7, 8)), rng.randint(1, 28)
        )
        # At least a year of service, so that every career has two positions or more.
        work_start = min(work_start, anchor - dt.timedelta(days=rng.randint(400, 700)))
        history = self.history(slot, work_start, birth)
        rank_since = history[-1]["start_date"]
        for record in reversed(history):
            if record["rank"] != slot.rank:
                break
            rank_since = record["start_date"]
        is_member = rng.random() < (0.97 if slot.post_type == PostType.LEADERSHIP else 0.8)
        party = None
        if is_member:
            earliest = dt.date(birth.year + 19, birth.month, 1)
            latest = min(anchor - dt.timedelta(days=30), dt.date(birth.year + 36, 1, 1))
            party = earliest + dt.timedelta(days=rng.randrange(max(1, (latest - earliest).days)))
        name = self.name(gender, index)
        pinyin, initials = pinyin_keys(name)
        values = dict(
            name=name,
            name_pinyin=pinyin,
            name_initials=initials,
            gender=gender,
            ethnicity="汉族" if rng.random() < 0.96 else rng.choice(D.ETHNIC_MINORITIES),
            birth_date=birth,
            national_id=self.id_number(birth, gender, slot.unit.area),
            native_place="",
            party_join_date=party,
            work_start_date=work_start,
            education=education,
            position=slot.title,
            post_type=slot.post_type,
            rank=slot.rank,
            rank_since=rank_since,
            management_level=D.management_level_for(slot.rank),
            status=CadreStatus.SERVING,
        )
        values["native_place"] = D.REGIONS[values["national_id"][:6]]
        return values, history

    def ranks(self, slot: Slot, steps: int) -> tuple[list[int], list[str]]:
        """The ranks of the career's positions (oldest first) and how each was reached."""
        rng, final = self.rng, slot.rank
        former = D.FORMER_LEADERSHIP.get(final)
        to_grade = (
            slot.post_type == PostType.NON_LEADERSHIP
            and former is not None
            and steps >= 3
            and rng.random() < 0.2
        )
        top = former if to_grade else final
        ladder = D.LEADERSHIP_LADDER if top in D.LEADERSHIP_LADDER else D.GRADE_LADDER
        idx = ladder.index(top)
        ranks = [top]
        moves: list[str] = []
        while len(ranks) < steps - (1 if to_grade else 0):
            if rng.random() < 0.25 or idx == 0:
                moves.insert(0, MoveType.LATERAL)
            elif idx >= 2 and rng.random() < 0.05:
                idx -= 2
                moves.insert(0, MoveType.EXCEPTIONAL_PROMOTION)
            else:
                idx -= 1
                grade = ladder is D.GRADE_LADDER or ladder[idx + 1] < Rank.SECTION_DEPUTY
                moves.insert(0, MoveType.RANK_ADVANCED if grade else MoveType.PROMOTED)
            ranks.insert(0, ladder[idx])
        first_move = MoveType.APPOINTED if ranks[0] <= Rank.CLERK_1 else MoveType.PROMOTED
        moves.insert(0, first_move)
        if to_grade:
            ranks.append(final)
            moves.append(MoveType.TO_NON_LEADERSHIP)
        return ranks, moves

    def history(self, slot: Slot, work_start: dt.date, birth: dt.date) -> list[dict]:
        rng, anchor = self.rng, self.anchor
        years = (anchor - work_start).days / 365.25
        steps = max(2, min(5, 2 + int(years // 7) + rng.randint(0, 1)))
        ranks, moves = self.ranks(slot, steps)
        last_start = anchor - dt.timedelta(days=rng.randint(60, 2400))
        # Not in the current post before the youngest age usual for its rank (less 3 years).
        youngest = dt.date(birth.year + D.AGE_RANGE[slot.rank][0] - 3, 1, 1)
        last_start = max(last_start, youngest, work_start + dt.timedelta(days=200 * (steps - 1)))
        last_start = min(last_start, anchor - dt.timedelta(days=30))
        first_start = work_start
        if moves[0] != MoveType.APPOINTED:
            first_start += (last_start - work_start) * rng.uniform(0.2, 0.5)
        span = (last_start - first_start).days
        starts = [first_start]
        for i in range(1, steps - 1):
            jitter = rng.uniform(-0.15, 0.15)
            starts.append(first_start + dt.timedelta(days=int(span * (i + jitter) / (steps - 1))))
        starts.append(last_start)
        records = []
        for i, (rank, move) in enumerate(zip(ranks, moves, strict=True)):
            if i == steps - 1:
                unit, title, post = slot.unit, slot.title, slot.post_type
            else:
                unit, title, post = self.earlier_post(slot.unit, rank)
            level = D.management_level_for(rank)
            records.append(
                dict(
                    unit=unit,
                    unit_name=unit.name,
                    title=title,
                    rank=rank,
                    move=move,
                    start_date=starts[i],
                    end_date=starts[i + 1] if i + 1 < steps else None,
                    document_ref=self.document_ref(unit, level, starts[i]) if i else "",
                )
            )
        return records

    def earlier_post(self, current: UnitSpec, rank: int) -> tuple[UnitSpec, str, str]:
        options = self.by_rank.get(rank, [])
        near = [o for o in options if o[0].area == current.area]
        if near and self.rng.random() < 0.7:
            return self.rng.choice(near)
        if options:
            return self.rng.choice(options)
        return current, D.RANK_TITLES.get(rank, "科员"), PostType.NON_LEADERSHIP

    def document_ref(self, unit: UnitSpec, level: str, on: dt.date) -> str:
        if level == ManagementLevel.PROVINCE:
            short = "鲁组"
        elif level == ManagementLevel.CITY or unit.area not in self.shorts:
            short = "济组"
        else:
            short = self.shorts[unit.area]
        return f"{short}任〔{on.year}〕{self.rng.randint(1, 98)}号"

    def memberships(self, values: dict, slot: Slot) -> list[tuple[str, dt.date]]:
        rng, rank = self.rng, values["rank"]
        age = self.anchor.year - values["birth_date"].year
        lead = values["post_type"] == PostType.LEADERSHIP
        chances = {
            "sprout": 0.35 if age <= 35 and rank >= Rank.PRINCIPAL_STAFF_4 else 0,
            "young_excellent": 0.3
            if lead
            and rank >= Rank.SECTION_DEPUTY
            and (age <= 40 or (rank >= Rank.COUNTY_DEPUTY and age <= 45))
            else 0,
            "reserve": 0.15
            if rank in (Rank.SECTION_DEPUTY, Rank.SECTION_CHIEF, Rank.COUNTY_DEPUTY)
            else 0,
            "lion": 0.2 if slot.principal else 0,
            "expert": 0.15 if values["education"] in (Education.MASTER, Education.DOCTORATE) else 0,
            "ox": 0.15 if age >= 50 else 0,
            "outstanding": 0.06 if lead else 0,
        }
        chosen = []
        for code, chance in chances.items():
            if rng.random() < chance:
                since = self.anchor - dt.timedelta(days=rng.randint(30, 1000))
                chosen.append((code, max(since, values["work_start_date"])))
        return chosen
