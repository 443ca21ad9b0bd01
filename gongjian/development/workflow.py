"""Life cycles of 巾帼致富, each a table of allowed transitions (kernel.workflow.move checks it)."""

from __future__ import annotations

# --- talent ---
# --- end talent ---

# --- cultivation ---
# isort: split
from .models.cultivation import CultivationStage as _Stage  # noqa: E402

#: 党员推荐培养: no step is skipped; the party side may end it (未被吸收 / 终止培养) before 正式党员.
CULTIVATION_TRANSITIONS: dict[str, set[str]] = {
    _Stage.RECOMMENDED: {_Stage.ACTIVIST, _Stage.NOT_ADMITTED, _Stage.WITHDRAWN},
    _Stage.ACTIVIST: {_Stage.DEVELOPMENT, _Stage.NOT_ADMITTED, _Stage.WITHDRAWN},
    _Stage.DEVELOPMENT: {_Stage.PROBATIONARY, _Stage.NOT_ADMITTED, _Stage.WITHDRAWN},
    _Stage.PROBATIONARY: {_Stage.MEMBER, _Stage.NOT_ADMITTED, _Stage.WITHDRAWN},
    _Stage.MEMBER: set(),
    _Stage.NOT_ADMITTED: set(),
    _Stage.WITHDRAWN: set(),
}
# --- end cultivation ---

# --- loan ---
# --- end loan ---

# --- demonstration ---
# Proposed by a township or village federation; the county designates it (or declines); a
# designated one is revoked by a decision or by a second 不合格 in its yearly reviews.
DEMONSTRATION_TRANSITIONS: dict[str, set[str]] = {
    "proposed": {"designated", "declined"},
    "designated": {"revoked"},
    "declined": set(),
    "revoked": set(),
}
# --- end demonstration ---
