"""Builders of support records through the services (plain functions, no pytest)."""

from __future__ import annotations

# --- case ---
# --- end case ---

# --- care ---
# --- end care ---

# --- service ---
# --- end service ---
