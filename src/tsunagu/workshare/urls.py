from django.urls import path

from . import views

app_name = "workshare"
urlpatterns = [
    path("", views.project_list_view, name="projects"),
    path("projects/new/", views.project_request_view, name="project_request"),
    path("projects/<int:project_id>/", views.project_detail_view, name="project"),
    path("projects/<int:project_id>/terms/", views.terms_propose_view, name="terms_propose"),
    path("projects/<int:project_id>/terms/<int:terms_id>/confirm/", views.terms_confirm_view, name="terms_confirm"),
    path("projects/<int:project_id>/team/", views.team_add_view, name="team_add"),
    path("projects/<int:project_id>/team/<int:user_id>/leave/", views.team_leave_view, name="team_leave"),
    path("projects/<int:project_id>/intake/", views.intake_view, name="intake"),
    path("projects/<int:project_id>/feedback/", views.feedback_view, name="feedback"),
    path("projects/<int:project_id>/elements/", views.element_create_view, name="element_create"),
    path("projects/<int:project_id>/elements/template/", views.elements_template_view, name="elements_template"),
    path("projects/<int:project_id>/board/", views.board_view, name="board"),
    path("projects/<int:project_id>/audit/", views.audit_view, name="audit"),
    path("projects/<int:project_id>/plan/", views.plan_view, name="plan"),
    path("projects/<int:project_id>/board/import/", views.board_import_view, name="board_import"),
    path("projects/<int:project_id>/statements/<int:year>-<int:month>/", views.statements_view, name="statements"),
    path("people/<int:user_id>/", views.person_view, name="person"),
    path("me/", views.profile_edit_view, name="profile_edit"),
    path("skills/", views.skills_view, name="skills"),
    path("recruitments/", views.recruitments_view, name="recruitments"),
    path("recruitments/<int:recruitment_id>/apply/", views.application_view, name="apply"),
    path("applications/<int:application_id>/decide/", views.application_decide_view, name="application_decide"),
    path("projects/<int:project_id>/recruit/", views.recruitment_open_view, name="recruitment_open"),
    path("elements/<int:element_id>/", views.element_detail_view, name="element"),
    path("elements/<int:element_id>/claim/", views.element_claim_view, name="element_claim"),
    path("elements/<int:element_id>/progress/", views.element_progress_view, name="element_progress"),
    path("elements/<int:element_id>/handoff/", views.element_handoff_view, name="element_handoff"),
    path("elements/<int:element_id>/submit/", views.element_submit_view, name="element_submit"),
    path("elements/<int:element_id>/time/", views.time_entry_view, name="time_entry"),
    path("submissions/<int:submission_id>/review/", views.submission_review_view, name="submission_review"),
    path("changes/<int:change_id>/decide/", views.change_decide_view, name="change_decide"),
]
