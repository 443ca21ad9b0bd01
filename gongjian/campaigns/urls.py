"""Staff pages of the app, mounted under /work/campaigns/."""

from django.urls import path  # noqa: F401

from .views import assessment as assessment_views  # noqa: F401  (assessments)
from .views import campaign as campaign_views  # noqa: F401

app_name = "campaigns"

urlpatterns = [
    # --- campaigns (core) ---
    path("", campaign_views.campaign_list, name="campaign-list"),
    path("<int:pk>/", campaign_views.campaign_detail, name="campaign-detail"),
    # --- end campaigns ---

    # --- assessments ---
    path("assessments/", assessment_views.assessment_list, name="assessment-list"),
    path("assessments/year/", assessment_views.year_view, name="assessment-year"),
    path("assessments/sets/new/", assessment_views.criteria_set_create, name="criteria-set-create"),
    path("assessments/sets/<int:pk>/", assessment_views.criteria_set_detail, name="criteria-set-detail"),
    path("assessments/sets/<int:pk>/criteria/", assessment_views.criterion_add, name="criterion-add"),
    path("assessments/sets/<int:pk>/subjects/", assessment_views.subject_add, name="subject-add"),
    path("assessments/sets/<int:pk>/publish/", assessment_views.criteria_set_publish, name="criteria-set-publish"),
    path("assessments/<int:pk>/", assessment_views.assessment_detail, name="assessment-detail"),
    path("assessments/<int:pk>/self/", assessment_views.assessment_self, name="assessment-self"),
    path("assessments/<int:pk>/evidence/", assessment_views.evidence_add, name="assessment-evidence"),
    path("assessments/<int:pk>/score/", assessment_views.assessment_score, name="assessment-score"),
    path("assessments/<int:pk>/return/", assessment_views.assessment_return, name="assessment-return"),
    path("assessments/evidence/<int:pk>/", assessment_views.evidence_file, name="assessment-evidence-file"),
    path("<int:pk>/ranking/", assessment_views.campaign_ranking, name="campaign-ranking"),
    # --- end assessments ---

    # --- pledges ---
    # --- end pledges ---

    # --- commendations ---
    # --- end commendations ---

    # --- study & supervision ---
    # --- end study & supervision ---
]
