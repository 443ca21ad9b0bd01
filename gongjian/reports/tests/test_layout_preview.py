"""The HTML preview of a 公文 (templates/reports/layout/_preview.html) shows what the printed page
shows, laid out by the same rules as the .docx, and escapes what a cadre typed."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from gongjian.kernel.documents import Content, Section, Table

from ..layout import Letterhead
from . import layout_samples as samples


def _render(content: Content, head: Letterhead) -> str:
    return render_to_string("reports/layout/_preview.html", {"content": content, "head": head})


def _texts(html: str, css: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", m).strip() for m in
            re.findall(rf'<[a-z0-9]+ class="[^"]*\b{css}\b[^"]*"[^>]*>(.*?)</(?:p|h2|h3|div|footer)>', html, re.S)]


def test_the_preview_shows_the_red_mark_number_title_body_signature_and_record() -> None:
    html = _render(samples.REPORT, samples.REPORT_HEAD)
    assert _texts(html, "gw-mark") == ["安定乡妇女联合会文件"]
    assert _texts(html, "gw-number") == ["安妇发〔2011〕3号"]
    assert 'class="gw-rule"' in html
    assert re.findall(r"<span>(.*?)</span>", html.split('class="gw-title"')[1].split("</h2>")[0]) == [
        "安定乡妇联关于外仓村争创党群共建", "创先争优示范点活动的情况汇报"]
    assert _texts(html, "gw-addressee") == ["县妇联："]
    assert '<h3 class="gw-heading gw-h1">一、抓学习教育，提升党群共建思想认识</h3>' in html
    assert samples.REPORT_SECTIONS[3].paragraphs[1] in html
    sign = html.split('class="gw-sign-box"')[1].split("</div>")[0]
    assert "安定乡妇女联合会" in sign and "2011年3月15日" in sign
    record = html.split('class="gw-record"')[1]
    assert "抄送：乡党委办公室，外仓村党支部。" in record
    assert "安定乡妇女联合会办公室" in record and "2011年3月15日印发" in record
    assert "gw-draft" not in html
    assert 'href="/static/reports/layout.css"' in html


def test_headings_annexes_and_tables_in_the_preview() -> None:
    html = _render(samples.PLAN, samples.NAME_LIST_HEAD)
    assert '<h3 class="gw-heading gw-h2">（一）上级党组织的路线方针和政策精神</h3>' in html
    assert '<h3 class="gw-heading gw-h3">1.党组织自身建设情况</h3>' in html
    assert _texts(html, "gw-annex-note") == ["附件：中共太华路街道委员会党务公开工作领导小组成员名单"]
    annex = html.split('class="gw-annex"')[1]
    assert '<p class="gw-annex-label">附件</p>' in annex
    assert annex.index("gw-annex-label") < annex.index("<table>")
    assert '<th scope="col">小组职务</th>' in annex and "<td>谢建龙</td>" in annex
    assert html.index('class="gw-sign"') < html.index('class="gw-annex"') < html.index('class="gw-record"')
    assert 'class="gw-table" tabindex="0" role="region"' in annex  # a wide table scrolls in its box


def test_a_draft_is_marked_and_has_no_number_or_record() -> None:
    content = Content(title="关于召开妇联执委会议的通知", sections=[Section("", ["定于3月8日召开。"])],
                      signature="太华路街道妇女联合会", dated=date(2026, 3, 1))
    html = _render(content, Letterhead("太华路街道妇女联合会", draft=True, draft_label="征求意见稿"))
    assert _texts(html, "gw-draft") == ["征求意见稿"]
    assert "gw-number" not in html and "gw-record" not in html
    assert "2026年3月1日" in html


def test_what_a_cadre_typed_is_escaped() -> None:
    content = Content(title="<script>alert(1)</script>通知", sections=[
        Section("一、<b>要求</b>", ["<img src=x onerror=alert(1)>"],
                table=Table(["<i>姓名</i>"], [["<u>王</u>"]]))], addressee="<a href=x>县妇联</a>：")
    html = _render(content, Letterhead("<em>妇联</em>", number="<x>"))
    assert "<script>" not in html and "<img" not in html and "<b>" not in html and "<em>" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x" in html and "&lt;i&gt;姓名" in html


def test_long_marks_get_a_smaller_class_so_they_keep_to_one_line_on_a_phone() -> None:
    short = _render(samples.REPORT, Letterhead("安定乡妇联"))
    assert 'class="gw-mark "' in short
    assert 'class="gw-mark gw-mark-long"' in _render(samples.REPORT, Letterhead("中共太华路街道委员会"))
    assert 'class="gw-mark gw-mark-longer"' in _render(samples.REPORT, Letterhead("华阴市太华路街道妇女联合会"))


def test_the_stylesheet_loads_nothing_from_outside_and_lets_only_tables_scroll() -> None:
    css = (Path(settings.BASE_DIR) / "gongjian" / "static" / "reports" / "layout.css").read_text()
    assert "http" not in css and "@import" not in css and "url(" not in css
    assert re.search(r"\.gw-table \{[^}]*overflow-x: auto", css)
    assert re.search(r"\.gw-page \{[^}]*overflow-wrap: anywhere", css)
    assert "overflow-x" not in css.split(".gw-table {")[0]


def test_a_table_caption_that_repeats_the_title_is_shown_once() -> None:
    table = Table(["姓名"], [["谢建龙"]], caption="党务公开工作领导小组成员名单")
    html = _render(Content(title="党务公开工作领导小组成员名单", sections=[Section("", [], table=table)]),
                   Letterhead("中共太华路街道委员会"))
    assert html.count(">党务公开工作领导小组成员名单<") == 1  # shown once (the table is also labelled by it)
    other = _render(Content(title="关于成立领导小组的通知", sections=[Section("", [], table=table)]),
                    Letterhead("中共太华路街道委员会"))
    assert '<p class="gw-caption">党务公开工作领导小组成员名单</p>' in other


def test_an_upward_document_shows_its_signer() -> None:
    html = _render(samples.REPORT, Letterhead("安定乡妇女联合会", "安妇报〔2011〕3号", signer="王秀英"))
    assert '<span>安妇报〔2011〕3号</span><span>签发人：<span class="gw-signer">王秀英</span></span>' in html
