"""Builders of development records through the services (plain functions, no pytest)."""

from __future__ import annotations

# --- talent ---
# --- end talent ---

# --- cultivation ---
# isort: split
from datetime import date as _cdate  # noqa: E402

from gongjian.development.models import CultivationStep as _CultivationStep  # noqa: E402
from gongjian.development.models import Recommendation as _Recommendation  # noqa: E402
from gongjian.development.services import cultivation as _cultivation_services  # noqa: E402
from gongjian.kernel.models import Person as _Person  # noqa: E402
from gongjian.kernel.tests.matrix import Place as _Place  # noqa: E402
from gongjian.kernel.tests.matrix import person as _matrix_person  # noqa: E402
from gongjian.kernel.tests.matrix import persona as _persona  # noqa: E402

DEEDS = "带领本村妇女发展苹果种植，热心公益，群众基础好。"


def village_woman(village: str = "小留村") -> _Person:
    """A new woman (群众) registered with the village's federation."""
    return _matrix_person(_Place(village))


def recommended(person: _Person | None = None, *, by: str = "xiaoliu_women",
                on: _cdate = _cdate(2026, 3, 1)) -> _Recommendation:
    """A woman recommended by `by`'s federation to the party branch of her village."""
    return _cultivation_services.recommendation_create(actor=_persona(by), person=person or village_woman(),
                                                       recommended_on=on, reason=DEEDS)


def decided(recommendation: _Recommendation, step: str, *, by: str = "xiaoliu_branch",
            on: _cdate = _cdate(2026, 4, 1), note: str = "") -> _CultivationStep:
    """The party side's decision of a step (`note` is the reason when it ends the cultivation)."""
    recommendation.refresh_from_db()
    return _cultivation_services.cultivation_decide(actor=_persona(by), recommendation=recommendation, step=step,
                                                    decided_on=on, note=note or "支部委员会研究决定")
# --- end cultivation ---

# --- loan ---
# --- end loan ---

# --- demonstration ---
# --- end demonstration ---
