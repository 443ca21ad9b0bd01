from django.urls import path

from . import views, views_auth, views_twofactor
from . import views_organizations as org_views

app_name = "kernel"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views_auth.login_view, name="login"),
    path("login/code/", views_twofactor.login_code, name="login-code"),
    path("account/second-factor/", views_twofactor.second_factor, name="second-factor"),
    path("account/second-factor/recovery-codes/", views_twofactor.recovery_codes, name="recovery-codes"),
    path("logout/", views_auth.logout_view, name="logout"),
    path("password/", views_auth.password_change_view, name="password-change"),
    path("account/tokens/", views_auth.token_list, name="token-list"),
    path("account/tokens/<int:pk>/revoke/", views_auth.token_revoke, name="token-revoke"),
    path("account/pushes/", views_auth.push_settings, name="push-settings"),
    path("account/pushes/<int:pk>/remove/", views_auth.push_remove, name="push-remove"),
    path("switch/", views_auth.switch_organization, name="switch-organization"),
    path("reminders/<int:pk>/done/", views.reminder_done, name="reminder-done"),
    path("organizations/", views.organization_tree, name="organization-tree"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization-detail"),
    path("organizations/<int:pk>/roster/", views.organization_roster, name="organization-roster"),
    path("organizations/<int:pk>/units/new/", org_views.unit_create, name="unit-create"),
    path("organizations/<int:pk>/rename/", org_views.organization_rename, name="organization-rename"),
    path("organizations/<int:pk>/close/", org_views.organization_close, name="organization-close"),
    path("organizations/<int:pk>/positions/new/", org_views.position_create, name="position-create"),
    path("positions/<int:pk>/end/", org_views.position_end, name="position-end"),
    path("notices/<int:pk>/print/", views.notice_print, name="notice-print"),
    path("people/", views.person_list, name="person-list"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/import/", views.person_import, name="person-import"),
    path("people/import/template.xlsx", views.person_import_template, name="person-import-template"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/reveal/", views.person_reveal, name="person-reveal"),
    path("console/", views.console, name="console"),
    path("console/audit/", views.audit_list, name="audit-list"),
    path("console/schedule/", views.schedule_status, name="schedule"),
    path("console/organizations/", org_views.console_organizations, name="console-organizations"),
    path("console/organizations/<int:pk>/", org_views.console_organization, name="console-organization"),
    path("console/accounts/", views.account_list, name="account-list"),
    path("console/accounts/<int:pk>/", views.account_action, name="account-action"),
    path("console/accounts/<int:pk>/grants/", views.account_grants, name="account-grants"),
    path("console/role-requests/<int:pk>/", views.role_request_decide, name="role-request-decide"),
]
