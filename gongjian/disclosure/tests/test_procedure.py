"""The procedure of 第四篇 through the services: draft, submit, review, publish, rectify, withdraw."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gongjian.disclosure import services
from gongjian.disclosure.models import Disclosure, DisclosureVersion, DueItem, MerkleNode, TreeHead
from gongjian.disclosure.workflow import TRANSITIONS, State
from gongjian.kernel.models import AuditEvent

from .factories import BASE, approved, draft, published, republish

pytestmark = pytest.mark.django_db


def test_a_branch_drafts_submits_and_the_street_committee_approves_and_it_is_published(acting):
    from gongjian.disclosure import publication

    size = publication.get_log().size
    item, version = published(acting)
    assert item.state == State.PUBLISHED and item.is_live
    assert version.number == 1 and version.leaf_index == size
    assert item.current_version_id == version.pk
    events = list(AuditEvent.objects.filter(object_type="disclosure.disclosure", object_id=str(item.pk))
                  .order_by("chain_index").values_list("event", flat=True))
    assert events == ["disclosure.item.created", "disclosure.item.submitted", "disclosure.item.approved",
                      "disclosure.item.published"]


def test_the_body_is_cleaned_with_the_allow_list(acting):
    item = draft(acting, body='<p onclick="x()">好</p><script>alert(1)</script><a href="javascript:alert(1)">链接</a>')
    assert "script" not in item.body and "onclick" not in item.body and "javascript:" not in item.body
    assert "<p>好</p>" in item.body


def test_plain_text_becomes_escaped_paragraphs(acting):
    item = draft(acting, body="第一段 <b\n\n第二段")
    assert item.body == "<p>第一段 &lt;b</p><p>第二段</p>"


def test_the_submitter_cannot_approve_her_own_item(acting, org):
    committee = acting("taihua_party")
    item = services.disclosure_create(actor=committee, organization=committee.acting.organization,
                                      data={**BASE, "title": "街道党委自身建设"})
    services.disclosure_submit(actor=committee, disclosure=item)
    with pytest.raises(PermissionDenied):
        services.disclosure_approve(actor=committee, disclosure=item)


def test_a_branch_cannot_approve_anything(acting):
    item = draft(acting)
    services.disclosure_submit(actor=acting("xiaoliu_branch"), disclosure=item)
    with pytest.raises(PermissionDenied):
        services.disclosure_approve(actor=acting("xiaoliu_branch"), disclosure=item)


def test_publishing_an_unapproved_item_is_refused_and_changes_nothing(acting):
    item = draft(acting)
    with pytest.raises(ValidationError) as err:
        services.disclosure_publish(actor=acting("xiaoliu_branch"), disclosure=item)
    assert "不能变为" in err.value.messages[0]
    assert not DisclosureVersion.objects.filter(disclosure=item).exists()


def test_returning_needs_a_comment_and_the_item_can_be_resubmitted(acting):
    item = draft(acting)
    services.disclosure_submit(actor=acting("xiaoliu_branch"), disclosure=item)
    with pytest.raises(ValidationError):
        services.disclosure_return(actor=acting("taihua_party"), disclosure=item, comment=" ")
    services.disclosure_return(actor=acting("taihua_party"), disclosure=item, comment="请补充收缴明细")
    item.refresh_from_db()
    assert item.state == State.RETURNED and item.review_comment == "请补充收缴明细"
    services.disclosure_submit(actor=acting("xiaoliu_branch"), disclosure=item)
    item.refresh_from_db()
    assert item.state == State.SUBMITTED


def test_a_major_item_needs_the_all_member_meeting_before_submission(acting):
    item = draft(acting, is_major=True, title="村集体土地承包方案")
    branch = acting("xiaoliu_branch")
    with pytest.raises(ValidationError) as err:
        services.disclosure_submit(actor=branch, disclosure=item)
    assert "全体党员会议" in err.value.messages[0]
    with pytest.raises(ValidationError) as err:
        services.meeting_record_set(actor=branch, disclosure=item, held_on="2026-11-20", members_expected=30,
                                    members_present=10, resolution="同意", minutes=None)
    assert "minutes" in err.value.error_dict and "members_present" in err.value.error_dict
    minutes = SimpleUploadedFile("会议记录.pdf", b"%PDF-1.4 minutes")
    services.meeting_record_set(actor=branch, disclosure=item, held_on="2026-11-20", members_expected=30,
                                members_present=28, resolution="全体党员会议讨论通过", minutes=minutes)
    services.disclosure_submit(actor=branch, disclosure=item)
    item.refresh_from_db()
    assert item.state == State.SUBMITTED


def test_bad_input_gets_chinese_messages_and_nothing_is_saved(acting):
    before = Disclosure.objects.count()
    with pytest.raises(ValidationError) as err:
        draft(acting, title="", category="nonsense", channels=[], timing="regular", period="", scope="party_first")
    errors = err.value.message_dict
    assert set(errors) >= {"title", "category", "channels", "period", "public_from"}
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m[0]) for m in errors.values())
    assert Disclosure.objects.count() == before


def test_a_correction_is_a_new_version_and_the_first_stays(acting):
    item, first = published(acting)
    second = republish(acting, item, body="收缴金额合计1,680元（更正）。")
    assert (first.number, second.number) == (1, 2)
    assert second.correction_note == "更正收缴金额"
    assert item.current_version_id == second.pk
    assert DisclosureVersion.objects.filter(disclosure=item).count() == 2
    assert second.leaf_index == first.leaf_index + 1


def test_resubmitting_a_published_item_needs_a_correction_note(acting):
    item, _ = published(acting)
    branch = acting("xiaoliu_branch")
    data = {f: getattr(item, f) for f in services.FIELDS}
    services.disclosure_update(actor=branch, disclosure=item, data={**data, "body": "改了"})
    with pytest.raises(ValidationError) as err:
        services.disclosure_submit(actor=branch, disclosure=item)
    assert "更正" in err.value.messages[0]


def test_editing_a_published_item_keeps_the_public_version_until_the_next_publication(acting):
    item, first = published(acting)
    branch = acting("xiaoliu_branch")
    data = {f: getattr(item, f) for f in services.FIELDS}
    services.disclosure_update(actor=branch, disclosure=item, data={**data, "title": "新标题"})
    item.refresh_from_db()
    assert item.state == State.REVISED and item.is_live and item.current_version_id == first.pk


def test_withdrawal_is_a_logged_event_and_the_history_stays(acting):
    item, version = published(acting)
    with pytest.raises(ValidationError):
        services.disclosure_withdraw(actor=acting("xiaoliu_branch"), disclosure=item, reason="")
    withdrawal = services.disclosure_withdraw(actor=acting("xiaoliu_branch"), disclosure=item, reason="内容有误")
    item.refresh_from_db()
    assert item.state == State.WITHDRAWN and not item.is_live
    assert withdrawal.leaf_index == version.leaf_index + 1
    assert TreeHead.objects.order_by("-size").first().size == withdrawal.leaf_index + 1
    assert DisclosureVersion.objects.filter(pk=version.pk).exists()


def test_rectification_from_review_moves_a_published_item_and_a_new_version_closes_it(acting):
    item, _ = published(acting)
    rect = services.disclosure_require_rectification(actor=acting("taihua_party"), disclosure=item,
                                                     description="收缴明细不全")
    item.refresh_from_db()
    assert item.state == State.RECTIFYING
    version = republish(acting, item, body="补充了明细。")
    rect.refresh_from_db()
    assert rect.done_version_id == version.pk


def test_the_transition_table_has_no_way_back_from_withdrawal():
    assert TRANSITIONS[State.WITHDRAWN] == frozenset()
    assert State.PUBLISHED not in TRANSITIONS[State.DRAFT]


def test_a_regular_item_gets_its_next_due_date_from_its_period(acting):
    import time_machine

    with time_machine.travel("2026-08-10 10:00 +0800", tick=False):
        item, _ = published(acting)
    items = list(DueItem.objects.filter(disclosure=item).order_by("due_on").values_list("due_on", "done_on"))
    assert [str(d) for d, _ in items] == ["2026-09-30", "2026-12-31"]
    assert str(items[0][1]) == "2026-08-10" and items[1][1] is None


def test_every_publication_appends_nodes_without_rebuilding(acting):
    from gongjian.disclosure import publication

    for title in ("一", "二", "三"):
        before = set(MerkleNode.objects.values_list("level", "index", "hash"))
        n = publication.get_log().size
        published(acting, title=title)
        after = set(MerkleNode.objects.values_list("level", "index", "hash"))
        # The new leaf plus one parent per trailing 1 bit of its index; nothing rewritten.
        trailing_ones = len(bin(n)) - len(bin(n).rstrip("1"))
        assert before < after and len(after - before) == 1 + trailing_ones


def test_unapproved_staged_preliminary_version_needs_an_opinion_deadline(acting):
    with pytest.raises(ValidationError) as err:
        draft(acting, stage="preliminary")
    assert "opinions_until" in err.value.message_dict
    item = draft(acting, stage="preliminary", opinions_until="2026-12-10", title="村道路改造方案（征求意见稿）")
    assert item.opinions_until.isoformat() == "2026-12-10"


def test_approved_item_state_is_approved(acting):
    assert approved(acting).state == State.APPROVED


def test_staged_disclosure_publishes_the_revision_only_after_the_opinion_period(acting, org):
    import time_machine
    from django.test import Client

    from gongjian.disclosure.models import Suggestion

    with time_machine.travel("2026-12-01 10:00 +0800", tick=False):
        item, first = published(acting, title="村组道路硬化实施方案", stage="preliminary",
                                opinions_until="2026-12-10", category="livelihood", timing="stage", period="",
                                body="拟硬化东组道路800米。")
        services.suggestion_submit(organization=item.organization, disclosure=item, content="建议南组也硬化")
        branch = acting("xiaoliu_branch")
        data = {f: getattr(item, f) for f in services.FIELDS}
        data.update(stage="final", opinions_until=None, body="硬化东组道路800米、南组道路400米。",
                    correction_note="根据征求意见，增加南组道路。")
        services.disclosure_update(actor=branch, disclosure=item, data=data)
        services.disclosure_submit(actor=branch, disclosure=item)
        services.disclosure_approve(actor=acting("taihua_party"), disclosure=item)
        with pytest.raises(ValidationError) as err:
            services.disclosure_publish(actor=branch, disclosure=item)
        assert "2026-12-10" in err.value.messages[0]
    with time_machine.travel("2026-12-11 10:00 +0800", tick=False):
        second = services.disclosure_publish(actor=acting("xiaoliu_branch"), disclosure=item)
        page = Client().get(f"/disclosure/item/{item.pk}/").content.decode()
    assert (first.stage, second.stage) == ("preliminary", "final")
    assert "征求意见稿" in page and "正式稿" in page and "<ins>" in page
    assert Suggestion.objects.filter(disclosure=item).count() == 1


def test_an_html_file_named_pdf_is_refused_as_an_attachment(acting):
    with pytest.raises(ValidationError) as err:
        branch = acting("xiaoliu_branch")
        services.disclosure_create(actor=branch, organization=branch.acting.organization, data=BASE,
                                   files=[SimpleUploadedFile("通知.pdf", b"<html><script>alert(1)</script>")])
    assert "附件" in err.value.message_dict["attachments"][0]
    assert not Disclosure.objects.filter(title=BASE["title"], organization__name="中共小留村支部委员会").exists()
