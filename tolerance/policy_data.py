"""Turning a `policy_types.Policy` into JSON-ready data and back (pure, no database).

Policy versions store their content as this data, so a published version keeps exactly the
catalogs, conditions, exclusions and procedure numbers it was published with.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from typing import Any

from core.policies import PolicyDataError

from .policy_types import (
    Condition,
    Distinction,
    Exclusion,
    Policy,
    ProcedureParameters,
    RepeatedErrors,
    Situation,
    Source,
)

FORMAT = 1

# Procedure keys added after FORMAT 1 was first stored, with the value older content means.
PROCEDURE_ADDED_DEFAULTS = {"reminder_days": 2}


def _source(data: dict[str, Any]) -> Source:
    return Source(**data)


def _entry(cls, data: dict[str, Any]):
    values = dict(data)
    values["source"] = _source(values["source"])
    return cls(**values)


def _fraction(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def policy_to_data(policy: Policy) -> dict[str, Any]:
    """JSON-ready data of a policy; `policy_from_data` gives the same policy back."""
    procedure = dataclasses.asdict(policy.procedure)
    procedure["quorum"] = _fraction(policy.procedure.quorum)
    procedure["majority"] = _fraction(policy.procedure.majority)
    procedure["published_outcomes"] = list(policy.procedure.published_outcomes)
    procedure["publication_scopes"] = list(policy.procedure.publication_scopes)
    return {
        "format": FORMAT,
        "code": policy.code,
        "jurisdiction": policy.jurisdiction,
        "source": dataclasses.asdict(policy.source),
        "situations": [dataclasses.asdict(s) for s in policy.situations],
        "distinctions": [dataclasses.asdict(d) for d in policy.distinctions],
        "conditions": [dataclasses.asdict(c) for c in policy.conditions],
        "exclusions": [dataclasses.asdict(x) for x in policy.exclusions],
        "procedure": procedure,
        "separations": [list(pair) for pair in policy.separations],
        "repeated_errors": (
            dataclasses.asdict(policy.repeated_errors) if policy.repeated_errors else None
        ),
    }


def policy_from_data(data: dict[str, Any]) -> Policy:
    """The policy stored as `data`; raises ValueError on malformed data."""
    if not isinstance(data, dict):
        raise PolicyDataError("policy data must be a JSON object", code="not_object")
    try:
        if data.get("format") != FORMAT:
            raise PolicyDataError(
                f"unknown policy data format {data.get('format')!r}",
                code="format",
                params={"format": data.get("format")},
            )
        procedure = {**PROCEDURE_ADDED_DEFAULTS, **data["procedure"]}
        procedure["quorum"] = Fraction(procedure["quorum"])
        procedure["majority"] = Fraction(procedure["majority"])
        procedure["published_outcomes"] = tuple(procedure["published_outcomes"])
        procedure["publication_scopes"] = tuple(procedure["publication_scopes"])
        policy = Policy(
            code=data["code"],
            jurisdiction=data["jurisdiction"],
            source=_source(data["source"]),
            situations=tuple(_entry(Situation, s) for s in data["situations"]),
            distinctions=tuple(_entry(Distinction, d) for d in data["distinctions"]),
            conditions=tuple(_entry(Condition, c) for c in data["conditions"]),
            exclusions=tuple(_entry(Exclusion, x) for x in data["exclusions"]),
            procedure=ProcedureParameters(**procedure),
            separations=tuple(tuple(pair) for pair in data.get("separations", ())),
            repeated_errors=(
                RepeatedErrors(**data["repeated_errors"]) if data.get("repeated_errors") else None
            ),
        )
    except PolicyDataError:
        raise
    except KeyError as exc:
        raise PolicyDataError(
            f"malformed policy data: {exc!r}", code="missing", params={"key": exc.args[0]}
        ) from exc
    except (TypeError, ValueError, AttributeError, ZeroDivisionError) as exc:
        raise PolicyDataError(
            f"malformed policy data: {exc!r}", code="malformed", params={"error": str(exc)}
        ) from exc
    check_policy(policy)
    return policy


def check_policy(policy: Policy) -> None:
    """Raise ValueError when the policy cannot be used to judge a case."""
    for kind, entries in (
        ("situation", policy.situations),
        ("distinction", policy.distinctions),
        ("condition", policy.conditions),
        ("exclusion", policy.exclusions),
    ):
        codes = [e.code for e in entries]
        if len(codes) != len(set(codes)):
            raise PolicyDataError(
                f"duplicate {kind} codes", code="duplicate", params={"kind": kind}
            )
        if not codes and kind != "exclusion":
            raise PolicyDataError(
                f"a policy needs at least one {kind}", code="empty", params={"kind": kind}
            )
    repeated = policy.repeated_errors
    if repeated is not None:
        if repeated.exclusion not in {x.code for x in policy.exclusions}:
            raise PolicyDataError(
                "repeated_errors.exclusion must name one of the exclusions", code="repeated"
            )
        years = repeated.look_back_years
        if isinstance(years, bool) or not isinstance(years, int) or not 0 < years <= 20:
            raise PolicyDataError(
                "repeated_errors.look_back_years must be from 1 to 20", code="repeated"
            )
        if repeated.effect not in ("refuse", "warn"):
            raise PolicyDataError("repeated_errors.effect must be refuse or warn", code="repeated")
    p = policy.procedure
    for name in (
        "acceptance_days",
        "investigation_days",
        "investigation_extension_days",
        "decision_days",
        "feedback_days",
        "appeal_window_days",
        "reminder_days",
    ):
        value = getattr(p, name)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 365:
            raise PolicyDataError(
                f"{name} must be a whole number of working days from 1 to 365",
                code="days",
                params={"name": name},
            )
    if not 0 < p.quorum <= 1 or not 0 < p.majority < 1:
        raise PolicyDataError("quorum must be in (0, 1] and majority in (0, 1)", code="vote")
    if p.majority_base not in ("present", "members"):
        raise PolicyDataError("majority_base must be 'present' or 'members'", code="base")
    if p.default_publication_scope not in p.publication_scopes:
        raise PolicyDataError(
            "the default publication scope must be one of the scopes", code="scope"
        )
