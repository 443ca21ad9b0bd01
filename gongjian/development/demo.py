"""Demo records of 巾帼致富 (idempotent, invented people only); called by kernel.demo.load_demo
after the county. Each topic adds its records in its own function, called from `load`."""

from __future__ import annotations

from typing import Any

from gongjian.kernel import audit

# --- talent ---
# --- end talent ---

# --- cultivation ---
CULTIVATION_FEDERATION = "小留村妇联"
CULTIVATION_DEEDS = [
    "带头发展苹果种植，组织本村妇女学技术，热心调解邻里纠纷，群众基础好。",
    "返乡创办电商服务点，帮助村民销售农产品，积极参加村里志愿服务。",
]


def _demo_actor(username: str) -> Any:
    """A demo account acting in its first current position (as the middleware would set it)."""
    from gongjian.kernel.context import Acting
    from gongjian.kernel.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        return None
    positions = list(user.current_positions())
    user.positions = positions
    user.acting = Acting(positions[0]) if positions else None
    return user if positions else None


def load_cultivation(result: Any) -> None:
    """Two women of 小留村 recommended by 小留村妇联 to 中共小留村支部委员会; one now 发展对象."""
    from datetime import timedelta

    from django.utils import timezone

    from gongjian.kernel.models import Organization, Person, PoliticalStatus

    from .models import Recommendation, StepKind
    from .services import cultivation as services

    federation = Organization.objects.filter(name=CULTIVATION_FEDERATION).first()
    recommender, branch = _demo_actor("xiaoliu_women"), _demo_actor("xiaoliu_branch")
    if federation is None or recommender is None or branch is None:
        return
    if Recommendation.objects.filter(organization=federation).exists():
        return
    women = list(Person.objects.filter(organization=federation, gender="F", party_organization=None,
                                       political_status=PoliticalStatus.MASSES).order_by("pk")[:2])
    today = timezone.localdate()
    for i, woman in enumerate(women):
        made = services.recommendation_create(actor=recommender, person=woman, recommended_on=today - timedelta(days=500),
                                              reason=CULTIVATION_DEEDS[i])
        if hasattr(result, "count"):
            result.count("development.recommendation")
        if i == 0:
            services.cultivation_decide(actor=branch, recommendation=made, step=StepKind.ACTIVIST,
                                        decided_on=today - timedelta(days=470), note="支部委员会研究，确定为入党积极分子")
            services.cultivation_decide(actor=branch, recommendation=made, step=StepKind.DEVELOPMENT,
                                        decided_on=today - timedelta(days=40),
                                        note="培养考察一年以上，支部委员会研究，报街道党工委备案，列为发展对象")
# --- end cultivation ---

# --- loan ---
# --- end loan ---

# --- demonstration ---
# --- end demonstration ---


def load(result: Any) -> None:
    """Add the development demo records (idempotent)."""
    before = dict(getattr(result, "created", {}) or {})
    # --- load: talent ---
    # --- load: end talent ---
    # --- load: cultivation ---
    load_cultivation(result)
    # --- load: end cultivation ---
    # --- load: loan ---
    # --- load: end loan ---
    # --- load: demonstration ---
    # --- load: end demonstration ---
    after = dict(getattr(result, "created", {}) or {})
    made = {k: v - before.get(k, 0) for k, v in after.items() if k.startswith("development.") and v != before.get(k, 0)}
    if made:
        audit.record(None, "development.demo.loaded", actor=None, username="demo", changes={"created": made})
