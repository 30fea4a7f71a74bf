"""core.document_access: one reading rule per kind, in both forms, from the app that owns it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from cadres.permissions import visible_cadres
from core import document_access
from core.document_access import (
    RULES,
    ReadingRule,
    can_read,
    readable_documents,
    register_document_access,
)
from core.models import DocumentKind, IssuedDocument


def cadre_visible(user, document) -> bool:
    return visible_cadres(user).filter(pk=document.cadre_id).exists()


def cadre_visible_q(user):
    return Q(cadre__in=visible_cadres(user))


CADRE_VISIBLE = ReadingRule(check=cadre_visible, readable=cadre_visible_q)


def test_register_document_access_refuses_unknown_kind_and_second_owner(monkeypatch):
    monkeypatch.setattr(document_access, "RULES", {})
    with pytest.raises(ValueError):
        register_document_access(["birthday_card"], check=cadre_visible, readable=cadre_visible_q)
    register_document_access(
        [DocumentKind.APPEAL_DECISION], check=cadre_visible, readable=cadre_visible_q
    )
    register_document_access(  # the same owner again: fine
        [DocumentKind.APPEAL_DECISION], check=cadre_visible, readable=cadre_visible_q
    )
    with pytest.raises(ValueError):
        register_document_access(
            [DocumentKind.APPEAL_DECISION], check=lambda user, doc: True, readable=cadre_visible_q
        )
    with pytest.raises(TypeError):  # a rule comes in both forms or not at all
        register_document_access([DocumentKind.APPEAL_DECISION], check=cadre_visible)
    assert document_access.RULES == {DocumentKind.APPEAL_DECISION: CADRE_VISIBLE}



@pytest.mark.django_db
def test_nobody_inactive_or_anonymous_reads_and_administrators_read_all(personas):
    document = IssuedDocument(kind=DocumentKind.TOLERANCE_RULING)
    assert can_read(AnonymousUser(), document) is False
    assert list(readable_documents(AnonymousUser())) == []
    personas.clerk_a.is_active = False
    assert can_read(personas.clerk_a, document) is False
    assert can_read(personas.admin, document) is True
    assert str(readable_documents(personas.admin).query) == str(IssuedDocument.objects.all().query)


@pytest.mark.django_db
def test_one_filter_per_rule_each_limited_to_its_kinds(personas, monkeypatch):
    monkeypatch.setattr(
        document_access,
        "RULES",
        {DocumentKind.TOLERANCE_RULING: CADRE_VISIBLE, DocumentKind.APPEAL_DECISION: CADRE_VISIBLE},
    )
    sql = str(readable_documents(personas.clerk_a).query)
    assert sql.count("IN (SELECT") >= 1
    assert "tolerance_ruling" in sql and "appeal_decision" in sql
    assert "clarification_notice" not in sql
    assert set(RULES) >= {DocumentKind.CLARIFICATION_NOTICE}  # the real registry is untouched
