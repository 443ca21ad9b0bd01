"""Service sites (留守流动儿童活动室, 维权投诉站, 法律援助站, 心理咨询室, 妇女悄悄话热线) and health service
rounds (两癌检查, 免费婚检, 母亲健康快车)."""

from __future__ import annotations

__all__: list[str] = []
