"""Kernel permissions: the table docs/permissions.md describes."""

from .permissions import (
    has_acting_position,
    in_scope,
    is_auditor,
    is_authenticated,
    is_security_admin,
    is_system_admin,
    lead_in_scope,
    register,
    staff_in_scope,
)

register(
    {
        "kernel.use_workspace": is_authenticated & has_acting_position,
        "kernel.view_organization": is_authenticated & has_acting_position & in_scope,
        "kernel.view_person": staff_in_scope,
        "kernel.add_person": staff_in_scope,
        "kernel.change_person": staff_in_scope,
        "kernel.reveal_pii": lead_in_scope,
        "kernel.view_audit": is_auditor,
        "kernel.manage_accounts": is_security_admin,
        "kernel.manage_system": is_system_admin,
        "kernel.use_console": is_authenticated & (is_auditor | is_security_admin | is_system_admin),
        "kernel.change_own_password": is_authenticated,
    }
)
