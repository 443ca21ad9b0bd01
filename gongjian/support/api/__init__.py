"""API operations of 维权与关爱, mounted under /api/v1/: one module per topic, each with its own
router (`Router(auth=token_auth)`), added here. Same rules, reach and errors as the pages.

No `from __future__ import annotations` in these modules: ninja resolves annotations through the
wrapped function's globals, which `requires` would hide (see gongjian/kernel/api.py)."""

from ninja import Router

from gongjian.kernel.apiauth import token_auth

router = Router(tags=["support"], auth=token_auth)

# --- case ---
from .case import router as _case_router  # noqa: E402

router.add_router("", _case_router)
# --- end case ---
# --- case_public ---
from .case_public import router as case_public_router  # noqa: E402
from .case_stats import router as case_stats_router  # noqa: E402

router.add_router("", case_public_router)
router.add_router("", case_stats_router)
# --- end case_public ---

# --- care ---
from .care import router as care_router  # noqa: E402

router.add_router("", care_router)
# --- end care ---

# --- service ---
from .service import router as service_router  # noqa: E402

router.add_router("", service_router)
# --- end service ---
