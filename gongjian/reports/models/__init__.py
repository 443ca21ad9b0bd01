"""公文与报告 (reports): one module per topic, all imported here (Django finds models through this package)."""

# --- document ---
from .document import Document, DocumentState, DocumentVersion, IssuingCode  # noqa: F401
# --- end document ---
# --- news ---
# --- end news ---
# --- county ---
# --- end county ---
