"""API operations of 巾帼致富, mounted under /api/v1/: one module per topic, each with its own
router (`Router(auth=token_auth)`), added here. Same rules, reach and errors as the pages.

No `from __future__ import annotations` in these modules: ninja resolves annotations through the
wrapped function's globals, which `requires` would hide (see gongjian/kernel/api.py)."""

from ninja import Router

from gongjian.kernel.apiauth import token_auth

router = Router(tags=["development"], auth=token_auth)

# --- talent ---
from .talent import router as talent_router  # noqa: E402

router.add_router("", talent_router)
# --- end talent ---

# --- cultivation ---
from .cultivation import router as cultivation_router  # noqa: E402

router.add_router("", cultivation_router)
# --- end cultivation ---

# --- loan ---
from .loan import router as loan_router  # noqa: E402
from .stats import router as stats_router  # noqa: E402

router.add_router("", loan_router)
router.add_router("", stats_router)
# --- end loan ---

# --- demonstration ---
from .demonstration import router as demonstration_router  # noqa: E402

router.add_router("", demonstration_router)
# --- end demonstration ---
