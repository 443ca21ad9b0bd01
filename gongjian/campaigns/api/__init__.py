"""API operations of 创先争优, mounted under /api/v1/: one module per topic, each with its own
router, assembled here. Same rules, reach and errors as the pages.

No `from __future__ import annotations` in these modules: ninja resolves annotations through the
wrapped function's globals, which `requires` would hide (see gongjian/kernel/api.py)."""

from ninja import Router

from gongjian.kernel.apiauth import token_auth

from .campaign import router as campaign_router

router = Router(tags=["campaigns"], auth=token_auth)
# --- campaigns (core) ---
router.add_router("", campaign_router)
# --- end campaigns ---

# --- assessments ---
from .assessment import router as assessment_router  # noqa: E402

router.add_router("", assessment_router)
# --- end assessments ---

# --- pledges ---
from .pledge import router as pledge_router  # noqa: E402

router.add_router("", pledge_router)
# --- end pledges ---

# --- commendations ---
from .commendation import router as commendation_router  # noqa: E402

router.add_router("", commendation_router)
# --- end commendations ---

# --- study & supervision ---
from .study import router as study_router  # noqa: E402

router.add_router("", study_router)
# --- end study & supervision ---
