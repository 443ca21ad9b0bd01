"""公文与报告 (reports): one module per topic, all imported here (Django finds models through this package)."""

from .county import FigureMonth, RolledMonth  # noqa: F401
from .document import Document, DocumentState, DocumentVersion, IssuingCode  # noqa: F401
from .news import NEWS_TRANSITIONS, NewsEvent, NewsPhoto, NewsState, NewsSubmission  # noqa: F401
