"""公文与报告 (reports): one module per topic, all imported here (Django finds models through this package)."""

# --- document ---
# --- end document ---
# --- news ---
# --- end news ---
# --- county ---
from .county import FigureMonth, RolledMonth  # noqa: F401
# --- end county ---
