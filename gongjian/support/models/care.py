"""关爱: care recipients (留守儿童, 留守老人, 贫困妇女, 单亲家庭 …) and their needs; the 爱心妈妈 pairings
themselves are kernel.pairings (purpose `care`)."""

from __future__ import annotations

__all__: list[str] = []
