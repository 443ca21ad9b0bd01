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
# --- end document ---
# --- news ---
# --- end news ---
# --- county ---
# The county report: the staff of either line, for an organisation in her subtree (the organisation
# is fetched through the kernel's Organization reach, so another county's is a 404) — counts only,
# small rights-case counts suppressed by kernel.figures.
register({"reports.view_county": staff})
# --- end county ---
