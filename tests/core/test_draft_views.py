"""Pages of document drafts (core.draft_views): the list, one draft with its steps, its
preview and approval form, and the correction of an issued document; staff of the
authority only, everyone else 404."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from core import drafts
from core.draft_views import visible_drafts
from core.drafts import drafts_of
from core.enums import Role
from core.models import AuditEvent, DocumentDraft, IssuedDocument
from tests.factories import make_user
from tests.tolerance.conftest import flow, staff  # noqa: F401  (fixtures)
from tolerance.enums import Outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafted(flow):  # noqa: F811
    """A decided case whose ruling is drafted, not yet checked."""
    return flow.decided(outcome=Outcome.LIGHTER, sign=False)


def _draft(case) -> DocumentDraft:
    return drafts_of(case).get(kind="tolerance_ruling")


def said(response) -> list[str]:
    """The messages the page shown after the redirect displays (and so consumes)."""
    return [str(m) for m in response.context["messages"]]


def test_draft_pages_for_handling_staff_only(client, drafted, staff):  # noqa: F811
    draft = _draft(drafted)
    for user in (staff.clerk, staff.leader):
        client.force_login(user)
        assert client.get(reverse("documents:draft", args=[draft.pk])).status_code == 200
        preview = client.get(reverse("documents:draft_preview", args=[draft.pk]))
        assert preview.status_code == 200 and preview.content.startswith(b"%PDF")
    for user in (staff.cadre, staff.hr, staff.outsider, staff.clerk_b):
        client.force_login(user)
        assert client.get(reverse("documents:draft", args=[draft.pk])).status_code == 404
        assert client.get(reverse("documents:draft_preview", args=[draft.pk])).status_code == 404
        assert client.post(
            reverse("documents:draft", args=[draft.pk]), {"action": "check"}
        ).status_code == 404
    assert AuditEvent.objects.filter(action="document.draft.preview").count() == 2
    draft.refresh_from_db()
    assert draft.state == "drafted"


def test_draft_page_offers_the_allowed_step(
    client, drafted, staff, django_capture_on_commit_callbacks  # noqa: F811
):
    draft = _draft(drafted)
    url = reverse("documents:draft", args=[draft.pk])
    client.force_login(staff.clerk)
    page = client.get(url).content.decode()
    assert 'value="check"' in page and 'value="sign"' not in page
    client.post(url, {"action": "check"})
    assert 'value="check"' not in client.get(url).content.decode()
    client.force_login(staff.leader)
    assert 'value="sign"' in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "sign"})
    draft.refresh_from_db()
    assert draft.state == "issued"
    page = client.get(url).content.decode()
    assert draft.document.number in page and 'data-testid="preview"' not in page
    case_page = client.get(reverse("tolerance:case_detail", args=[drafted.pk])).content.decode()
    assert 'data-testid="drafts"' in case_page


def test_visible_drafts_per_persona(drafted, staff, world):  # noqa: F811
    admin = make_user("draft_admin", Role.ADMIN)
    case_drafts = sorted(drafts_of(drafted).values_list("kind", flat=True))
    assert case_drafts == ["acceptance_notice", "tolerance_ruling"]

    def kinds(user):
        return sorted(visible_drafts(user).values_list("kind", flat=True))

    assert kinds(staff.clerk) == kinds(staff.leader) == kinds(admin) == case_drafts
    for nobody in (staff.clerk_b, staff.cadre, staff.hr, staff.outsider, AnonymousUser()):
        assert kinds(nobody) == []
    DocumentDraft.objects.update(authority=world.city_org)
    assert kinds(staff.clerk) == []
    assert kinds(staff.clerk_b) == kinds(admin) == case_drafts
    admin.is_active = False
    assert kinds(admin) == []


def test_the_list_shows_the_open_drafts_only(client, drafted, staff):  # noqa: F811
    draft = _draft(drafted)
    client.force_login(staff.clerk)
    page = client.get(reverse("documents:drafts"))
    assert [row.pk for row in page.context["rows"]] == [draft.pk]
    assert "容错认定决定书（张三）" in page.content.decode()
    DocumentDraft.objects.filter(pk=draft.pk).update(state="issued")
    page = client.get(reverse("documents:drafts"))
    assert list(page.context["rows"]) == []
    assert "没有待核稿或签发的文书" in page.content.decode()
    client.force_login(staff.clerk_b)
    assert list(client.get(reverse("documents:drafts")).context["rows"]) == []


def test_an_unknown_step_is_404_and_changes_nothing(client, drafted, staff):  # noqa: F811
    draft = _draft(drafted)
    client.force_login(staff.clerk)
    url = reverse("documents:draft", args=[draft.pk])
    assert client.post(url, {"action": "delete"}).status_code == 404
    assert client.post(url).status_code == 404
    draft.refresh_from_db()
    assert draft.state == "drafted"


def test_a_refused_step_is_said_on_the_draft_page(client, drafted, staff):  # noqa: F811
    draft = _draft(drafted)
    url = reverse("documents:draft", args=[draft.pk])
    client.force_login(staff.leader)
    checked = client.post(url, {"action": "check"}, follow=True)
    assert checked.redirect_chain == [(url, 302)]
    assert said(checked) == ["已核稿。"]
    refused = client.post(url, {"action": "sign"}, follow=True)  # he checked it himself
    assert refused.redirect_chain == [(url, 302)]
    assert said(refused) == ["只有未参与核稿、具有签发权限的人员才能签发。"]
    draft.refresh_from_db()
    assert (draft.state, draft.signed_by) == ("checked", None)


def test_the_correction_page_drafts_a_successor(client, flow, staff):  # noqa: F811
    flow.decided(outcome=Outcome.LIGHTER)
    document = IssuedDocument.objects.get(kind="tolerance_ruling")
    url = reverse("documents:correct", args=[document.pk])
    client.force_login(staff.clerk)
    refused = client.post(url, {"reason": " "}, follow=True)
    assert refused.redirect_chain == [(reverse("documents:draft", args=[document.draft.pk]), 302)]
    assert said(refused) == ["请填写更正理由。"]
    assert not DocumentDraft.objects.filter(supersedes=document).exists()
    response = client.post(url, {"reason": "当事人姓名有误"}, follow=True)
    correction = DocumentDraft.objects.get(supersedes=document)
    assert response.redirect_chain == [(reverse("documents:draft", args=[correction.pk]), 302)]
    assert said(response) == ["更正文书已起草，请核稿并签发。"]
    assert correction.state == "drafted"
    page = client.get(reverse("documents:draft", args=[document.draft.pk]))
    assert page.context["successor"] is None  # not issued yet
    assert page.context["may_correct"] is True


def test_outsiders_cannot_correct(client, flow, staff):  # noqa: F811
    flow.decided(outcome=Outcome.LIGHTER)
    document = IssuedDocument.objects.get(kind="tolerance_ruling")
    for user in (staff.outsider, staff.clerk_b):
        client.force_login(user)
        response = client.post(
            reverse("documents:correct", args=[document.pk]), {"reason": "更正"}
        )
        assert response.status_code == 404
    assert not DocumentDraft.objects.filter(supersedes=document).exists()
    assert not AuditEvent.objects.filter(action="document.draft.open", actor=staff.outsider)


def test_the_drafts_to_check_leave_out_the_checker_s_own(client, drafted, staff):  # noqa: F811
    draft = _draft(drafted)
    DocumentDraft.objects.filter(pk=draft.pk).update(opened_by=staff.clerk)
    url = reverse("documents:drafts") + "?step=check"
    client.force_login(staff.clerk)  # drafted it: someone else checks it
    page = client.get(url)
    assert list(page.context["rows"]) == []
    assert "待核稿的文书" in page.content.decode()
    client.force_login(staff.leader)
    assert [row.pk for row in client.get(url).context["rows"]] == [draft.pk]
    # The home page's work item counts exactly these rows, and links to them.
    home = client.get(reverse("home"))
    item = next(i for i in home.context["work"] if i.key == "drafts_check")
    assert (item.count, item.url) == (1, url)
    DocumentDraft.objects.filter(pk=draft.pk).update(state="checked")
    assert list(client.get(url).context["rows"]) == []
    assert client.get(reverse("documents:drafts")).context["rows"][0].pk == draft.pk


def test_the_drafts_to_sign_are_the_checked_ones_a_signer_may_sign(client, drafted, staff):  # noqa: F811
    draft = drafts.draft_transition(_draft(drafted), actor=staff.clerk, action="check")
    url = reverse("documents:drafts") + "?step=sign"
    assert draft.signers == ",approving_leader,"
    # Both approving leaders of the authority may sign; the page and the home item agree.
    for leader in (staff.leader, staff.reviewer):
        client.force_login(leader)
        page = client.get(url)
        assert [row.pk for row in page.context["rows"]] == [draft.pk]
        assert "<title>待签发的文书 · " in page.content.decode()
        item = next(
            i for i in client.get(reverse("home")).context["work"] if i.key == "drafts_sign"
        )
        assert (item.count, item.url) == (1, url)
    # The checker and the committee members hold no signing role: no item, an empty list.
    for other in (staff.clerk, staff.members[0], staff.clerk_b):
        client.force_login(other)
        assert list(client.get(url).context["rows"]) == []
        keys = [i.key for i in client.get(reverse("home")).context["work"]]
        assert "drafts_sign" not in keys
    # Signed: nothing waits any more.
    drafts.draft_transition(draft, actor=staff.leader, action="sign")
    client.force_login(staff.reviewer)
    assert list(client.get(url).context["rows"]) == []


def test_a_policy_naming_other_signers_gives_them_the_item(client, drafted, staff, settings):  # noqa: F811
    settings.DOCUMENT_SIGNING_ROLES = {"tolerance_ruling": [Role.COMMITTEE_MEMBER]}
    draft = drafts.draft_transition(_draft(drafted), actor=staff.clerk, action="check")
    assert draft.signers == ",committee_member,"
    # Fixed when checked: a later change of the setting does not move who signs this one.
    settings.DOCUMENT_SIGNING_ROLES = {}
    member = staff.members[0]
    client.force_login(member)
    item = next(i for i in client.get(reverse("home")).context["work"] if i.key == "drafts_sign")
    assert item.count == 1
    assert drafts.may_sign(member, draft) is True
    assert drafts.may_sign(staff.leader, draft) is False
    client.force_login(staff.leader)  # a default signer: the item, with nothing to sign
    item = next(i for i in client.get(reverse("home")).context["work"] if i.key == "drafts_sign")
    assert item.count == 0
