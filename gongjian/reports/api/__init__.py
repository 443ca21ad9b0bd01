"""API operations of 公文与报告, mounted under /api/v1/: one module per topic, each with its own
router (`Router(auth=token_auth)`), added here. Same rules, reach and errors as the pages.

No `from __future__ import annotations` in these modules: ninja resolves annotations through the
wrapped function's globals, which `requires` would hide (see gongjian/kernel/api.py)."""

from ninja import Router

from gongjian.kernel.apiauth import token_auth

router = Router(tags=["reports"], auth=token_auth)

# --- document ---
from .document import router as _document_router  # noqa: E402

router.add_router("", _document_router)
# --- end document ---
# --- news ---
from .news import router as news_router  # noqa: E402

router.add_router("", news_router)
# --- end news ---
# --- county ---
from .county import router as county_router  # noqa: E402

router.add_router("", county_router)
# --- end county ---
