"""Demo records for 党务公开 (第四篇): items on 小留村's and the street committee's boards, a
staged item, an internal one, a suggestion and an inspection. Loading twice changes nothing."""

from __future__ import annotations

from typing import Any

from gongjian.kernel.context import Acting
from gongjian.kernel.models import Organization, User

from . import services
from .models import Disclosure, Inspection

ITEMS = [
    ("中共小留村支部委员会", {
        "title": "小留村党支部2026年工作计划", "category": "self_building", "timing": "fixed", "scope": "public",
        "body": "一、加强党员学习教育，每月开展一次主题党日。\n\n二、规范“三会一课”，按时收缴党费。\n\n"
                "三、带领群众发展特色种植，推进人居环境整治。"}),
    ("中共小留村支部委员会", {
        "title": "村组道路硬化工程实施方案（征求意见稿）", "category": "livelihood", "timing": "stage",
        "scope": "public", "stage": "preliminary", "opinions_until": "2026-12-20",
        "body": "拟对东组、西组主干道共1.2公里进行硬化，预算48万元，由上级项目资金和村集体经济共同承担。"
                "\n\n欢迎党员群众通过意见箱提出意见。"}),
    ("中共小留村支部委员会", {
        "title": "2026年发展党员工作情况", "category": "self_building", "timing": "temporary", "scope": "party",
        "body": "本年度确定入党积极分子2名、发展对象1名。"}),
    ("中共太华路街道委员会", {
        "title": "学习贯彻上级党组织工作部署情况", "category": "policy", "timing": "fixed", "scope": "public",
        "body": "街道党委组织各村（社区）党组织认真学习上级会议精神，结合实际制定贯彻措施。"}),
]


def _as(username: str, kind: str | None = None) -> User:
    user = User.objects.get(username=username)
    positions = list(user.current_positions())
    user.positions = positions
    chosen = next((p for p in positions if kind is None or p.organization.kind == kind), positions[0])
    user.acting = Acting(chosen)
    return user


def load(result: Any) -> dict[str, int]:
    made = {"disclosures": 0, "suggestions": 0, "inspections": 0}
    if not User.objects.filter(username="xiaoliu_branch").exists():
        return made
    branch_user = _as("xiaoliu_branch")
    committee = _as("taihua_party", "party_committee")
    for org_name, data in ITEMS:
        org = Organization.objects.get(name=org_name)
        if Disclosure.objects.filter(organization=org, title=data["title"]).exists():
            continue
        owner = branch_user if org_name.startswith("中共小留村") else committee
        item = services.disclosure_create(actor=owner, organization=org,
                                          data={"channels": ["board", "web"], **data})
        services.disclosure_submit(actor=owner, disclosure=item)
        if owner is branch_user:
            services.disclosure_approve(actor=committee, disclosure=item, comment="同意公开")
            services.disclosure_publish(actor=owner, disclosure=item)
        made["disclosures"] += 1
    xiaoliu = Organization.objects.get(name="中共小留村支部委员会")
    staged = Disclosure.objects.filter(organization=xiaoliu, stage="preliminary").first()
    if staged is not None and not staged.suggestions.exists():
        services.suggestion_submit(organization=xiaoliu, disclosure=staged,
                                   content="建议把南组的路也一并硬化，雨天泥泞难走。", idempotency_key="demo-1")
        made["suggestions"] += 1
    if not Inspection.objects.filter(organization=xiaoliu).exists():
        inspector = _as("taihua_party", "leading_group")
        services.inspection_create(actor=inspector, organization=xiaoliu, data={
            "content": 9, "procedure": 9, "form": 8, "rules": 8, "execution": 9, "effect": 8,
            "inspected_on": "2026-11-10", "findings": "意见箱开箱记录不全。", "rectification_deadline": "2026-12-10"})
        made["inspections"] += 1
    return made
