"""Builders of development records through the services (plain functions, no pytest)."""

from __future__ import annotations

# --- talent ---
# --- end talent ---

# --- cultivation ---
# --- end cultivation ---

# --- loan ---
# --- end loan ---

# --- demonstration ---
# --- end demonstration ---
