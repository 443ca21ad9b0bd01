"""Staff pages of the app, mounted under /work/campaigns/."""

from django.urls import include, path  # noqa: F401

from .views import assessment as assessment_views  # noqa: F401  (assessments)
from .views import campaign as campaign_views  # noqa: F401
from .views import commendation as commendation_views
from .views import pledge as pledge_views

app_name = "campaigns"

urlpatterns = [
    # --- campaigns (core) ---
    path("", campaign_views.campaign_list, name="campaign-list"),
    path("<int:pk>/", campaign_views.campaign_detail, name="campaign-detail"),
    path("new/", campaign_views.campaign_create, name="campaign-create"),
    path("<int:pk>/edit/", campaign_views.campaign_edit, name="campaign-edit"),
    path("<int:pk>/issue/", campaign_views.campaign_move, {"to": "issue"}, name="campaign-issue"),
    path("<int:pk>/close/", campaign_views.campaign_move, {"to": "close"}, name="campaign-close"),
    path("<int:pk>/plans/", campaign_views.plan_board, name="plan-board"),
    path("<int:pk>/plans/<int:plan_id>/", campaign_views.plan_detail, name="plan-detail"),
    path("<int:pk>/plans/<int:plan_id>/submit/", campaign_views.plan_submit, name="plan-submit"),
    path("<int:pk>/plans/<int:plan_id>/return/", campaign_views.plan_review, {"to": "return"}, name="plan-return"),
    path("<int:pk>/plans/<int:plan_id>/accept/", campaign_views.plan_review, {"to": "accept"}, name="plan-accept"),
    path("plans/files/<str:token>/", campaign_views.plan_file, name="plan-file"),
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
    path("pledges/", pledge_views.pledge_list, name="pledge-list"),
    path("pledges/new/", pledge_views.pledge_create, name="pledge-create"),
    path("pledges/<int:pk>/", pledge_views.pledge_detail, name="pledge-detail"),
    path("pledges/<int:pk>/edit/", pledge_views.pledge_edit, name="pledge-edit"),
    path("pledges/<int:pk>/publish/", pledge_views.pledge_publish, name="pledge-publish"),
    path("pledges/<int:pk>/withdraw/", pledge_views.pledge_withdraw, name="pledge-withdraw"),
    path("pledges/<int:pk>/progress/", pledge_views.pledge_progress, name="pledge-progress"),
    path("pledges/<int:pk>/evaluate/", pledge_views.pledge_evaluate, name="pledge-evaluate"),
    path("pledges/comments/", pledge_views.comment_queue, name="pledge-comments"),
    path("pledges/comments/<int:comment_id>/moderate/", pledge_views.comment_moderate, name="pledge-comment-moderate"),
    path("pledges/updates/<int:update_id>/photo/", pledge_views.update_photo, name="pledge-photo"),
    # --- end pledges ---

    # --- commendations ---
    path("commendations/", commendation_views.nomination_list, name="nomination-list"),
    path("commendations/new/", commendation_views.nomination_create, name="nomination-create"),
    path("commendations/board/", commendation_views.nomination_board, name="nomination-board"),
    path("commendations/roll/", commendation_views.commendation_roll, name="commendation-roll"),
    path("commendations/<int:pk>/", commendation_views.nomination_detail, name="nomination-detail"),
    path("commendations/<int:pk>/edit/", commendation_views.nomination_edit, name="nomination-edit"),
    path("commendations/<int:pk>/submit/", commendation_views.nomination_submit, name="nomination-submit"),
    path("commendations/<int:pk>/files/", commendation_views.nomination_attach, name="nomination-attach"),
    path("commendations/<int:pk>/files/<int:file_id>/", commendation_views.nomination_file,
         name="nomination-file"),
    path("commendations/<int:pk>/review/", commendation_views.nomination_review, name="nomination-review"),
    path("commendations/<int:pk>/notice/", commendation_views.nomination_notice, name="nomination-notice"),
    path("commendations/<int:pk>/objections/<int:objection_id>/answer/", commendation_views.nomination_answer,
         name="nomination-answer"),
    path("commendations/<int:pk>/decide/", commendation_views.nomination_decide, name="nomination-decide"),
    # --- end commendations ---

    # --- study & supervision ---
    # Each module lists its own routes (`urlpatterns` at its end), in this namespace.
    path("study/", include("gongjian.campaigns.views.study")),
    path("supervision/", include("gongjian.campaigns.views.supervision")),
    # --- end study & supervision ---
]
