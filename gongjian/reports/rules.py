"""Reports permissions: the table docs/permissions.md describes (## reports).

Documents, news pieces and reports are written by the staff of either line for their own
organisation and read within the organisation's subtree. Each record type's reach is declared
below, once, per topic."""

from __future__ import annotations

from gongjian.kernel.permissions import acts_as_staff, is_authenticated, register

staff = is_authenticated & acts_as_staff

# The home page of the app: any staff member (each topic's pages check their own permission).
register({"reports.view": staff})

# --- document ---
# A document belongs to the organisation that issues it: its subtree reads it (the organisation and
# the organisations above it, never a sibling or one below); its own staff draft and edit it; its
# lead or deputy issues it (签发) and sets its 代字. Staff of either line: a party committee issues
# 公文 as a federation does.
# isort: split
from gongjian.kernel import access as _doc_access  # noqa: E402
from gongjian.kernel.access import Own as _DocOwn  # noqa: E402
from gongjian.kernel.access import Subtree as _DocSubtree  # noqa: E402
from gongjian.kernel.permissions import acts_as_lead as _doc_acts_as_lead  # noqa: E402

from .models import Document as _Document  # noqa: E402

_doc_access.declare(_Document, _DocSubtree())

register({
    "reports.view_document": staff & _doc_access.reaches(),
    "reports.draft_document": staff & _doc_access.reaches(_DocOwn()),
    "reports.issue_document": staff & _doc_acts_as_lead & _doc_access.reaches(_DocOwn()),
    "reports.set_issuing_code": staff & _doc_acts_as_lead,
})
# --- end document ---
# --- news ---
# 信息报送: a piece reaches the submitting organisation's subtree (the village itself, its township,
# its county) and the staff of the organisation it was sent to; a sibling village never sees
# another's. Staff of a federation or party organisation submit for their own organisation; the
# staff of the receiving organisation adopt (perhaps editing) or return. The portal ("reader")
# reaches adopted pieces and their photos only.
# isort: split
from django.db.models import Model as _NewsModel  # noqa: E402
from django.db.models import Q as _NewsQ  # noqa: E402

from gongjian.kernel import access as _news_access  # noqa: E402
from gongjian.kernel.access import Own as _NewsOwn  # noqa: E402
from gongjian.kernel.access import Subtree as _NewsSubtree  # noqa: E402
from gongjian.kernel.http import Reader as _NewsReader  # noqa: E402
from gongjian.kernel.permissions import acts_for_kind as _news_acts_for_kind  # noqa: E402

from .models.news import RECEIVER_KINDS, SUBMITTER_KINDS, NewsPhoto, NewsState, NewsSubmission  # noqa: E402


class _Adopted(_news_access.Reach):
    """Anyone, logged in or not: an adopted piece (through `via`, its photos)."""

    def __init__(self, via: str = "") -> None:
        self.via = via

    def condition(self, user: _NewsReader, model: type[_NewsModel]) -> _NewsQ | None:
        return _NewsQ(**{f"{self.via}__state" if self.via else "state": NewsState.ADOPTED})

    def test(self, user: _NewsReader, obj: object) -> bool:
        piece = getattr(obj, self.via) if self.via else obj
        return getattr(piece, "state", None) == NewsState.ADOPTED


_news_access.declare(NewsSubmission, _NewsSubtree() | _NewsOwn(via="receiver"))
_news_access.declare(NewsPhoto, _NewsSubtree(via=("submission__organization",))
                     | _NewsOwn(via="submission__receiver"))
_news_access.declare(NewsSubmission, _Adopted(), audience="reader")
_news_access.declare(NewsPhoto, _Adopted("submission"), audience="reader")

_news_submitter = staff & _news_acts_for_kind(*SUBMITTER_KINDS)
_news_receiver = staff & _news_acts_for_kind(*RECEIVER_KINDS)

register({
    # Write a piece, revise a returned one, withdraw one not yet decided: her own organisation's.
    "reports.submit_news": _news_submitter & _news_access.reaches(_NewsOwn()),
    "reports.view_news": staff & _news_access.reaches(),
    # Adopt (perhaps edited) or return with a reason: the staff of the organisation it was sent to.
    "reports.decide_news": _news_receiver & _news_access.reaches(_NewsOwn(via="receiver")),
    # The year's counts of the subtree, ranked (and their Excel).
    "reports.view_news_ranking": _news_receiver,
})
# --- end news ---
# --- county ---
# The county report: the staff of either line, for an organisation in her subtree (the organisation
# is fetched through the kernel's Organization reach, so another county's is a 404) — counts only,
# small rights-case counts suppressed by kernel.figures.
register({"reports.view_county": staff})
# --- end county ---
