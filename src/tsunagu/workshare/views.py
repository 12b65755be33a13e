"""Work-sharing pages. Each view: parse, check access (access.py), call one service or selector, render. A refused
action re-renders its page with the reason next to the field and answers 400; nothing changes."""

import csv
import datetime
import re
import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.accounts.invitations import coordinated_organisations
from tsunagu.accounts.models import Profile
from tsunagu.accounts.models import Skill
from tsunagu.accounts.models import PrivateNote
from tsunagu.accounts.profiles import (note_organisations, parse_windows, private_note_set, profile_update, skill_add, skills_set,
                                       windows_text)
from tsunagu.core.audit import audit_entries_for_project
from tsunagu.core.errors import DomainError
from tsunagu.core.forms import add_domain_error
from tsunagu.core.spreadsheets import escape_cell

from . import services
from .access import (access_element, may_read_audit, access_person, access_project, access_recruitment, recruitments_open_to,
                     statement_readers)
from .board_sheets import board_csv, board_import_file, board_import_url, board_xlsx
from .forms import (ApplicationForm, BoardFilterForm, BoardImportForm, ElementForm, FeedbackForm, IntakeForm, NotesForm,
                    RecruitmentForm, SkillForm, HandoffForm, MunicipalityTemplateForm, ProfileForm, ProgressForm,
                    ProjectRequestForm, ReviewForm, SubmitForm, TeamAddForm, TermsForm, TimeEntryForm)
from .models import Application, ChangeRequest, Project, Submission, WorkElement
from .selectors import board_elements, member_weeks, pending_reviews, project_cost, worker_statement
from .statements_pdf import statement_pdf


@login_required
def project_list_view(request: HttpRequest) -> HttpResponse:
    projects = Project.objects.visible_to(request.user).select_related("owner", "coordinator", "organisation")
    return render(request, "workshare/project_list.html", {"projects": projects,
                                                           "can_invite": bool(coordinated_organisations(request.user))})


@login_required
def project_request_view(request: HttpRequest) -> HttpResponse:
    form = ProjectRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_request(owner=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("依頼を受け付けました。コーディネーターと条件を決めましょう。"))
            return redirect("workshare:project", project_id=project.pk)
    return render(request, "workshare/project_request.html", {"form": form}, status=400 if form.errors else 200)


def _project_page(request, project: Project, *, status: int = 200, **forms) -> HttpResponse:
    coordinating = services.is_coordinator_of(request.user, project)
    latest = project.terms.order_by("-version").first()
    context = {
        "project": project, "coordinating": coordinating, "is_owner": request.user.pk == project.owner_id,
        "can_audit": may_read_audit(request.user, project),
        "terms": project.current_terms(), "latest_terms": latest,
        "team": project.team.filter(active=True).select_related("user", "user__profile"),
        "pending": pending_reviews(project),
        "terms_form": forms.get("terms_form") or TermsForm(instance=None, initial=_terms_initial(latest)),
        "team_form": forms.get("team_form") or TeamAddForm(),
        "element_form": forms.get("element_form") or ElementForm(project=project),
        "intake_form": forms.get("intake_form") or IntakeForm(initial={"notes": project.intake_notes}),
        "feedback_form": forms.get("feedback_form") or FeedbackForm(),
        "feedback": project.feedback.select_related("given_by")[:20],
        "recruitments": project.recruitments.prefetch_related("skills", "applications__worker") if coordinating else [],
        "recruitment_form": forms.get("recruitment_form") or RecruitmentForm(),
        "template_form": forms.get("template_form") or MunicipalityTemplateForm(),
        "today": timezone.localdate(),
    }
    return render(request, "workshare/project_detail.html", context, status=status)


def _terms_initial(latest) -> dict:
    if latest is None:
        return {}
    return {f: getattr(latest, f) for f in TermsForm.Meta.fields}


@login_required
def project_detail_view(request: HttpRequest, project_id: int) -> HttpResponse:
    return _project_page(request, access_project(request.user, project_id))


def _project_form(request, project: Project, form, form_name: str, action, *, to: str, message=None) -> HttpResponse:
    """Run one service with a valid form from the project page; a refusal re-renders the page with the reason next
    to the field (400). `message` may be a function of what the service returned."""
    if form.is_valid():
        try:
            result = action(form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if message:
                messages.success(request, message(result) if callable(message) else message)
            return redirect(to, project_id=project.pk)
    return _project_page(request, project, status=400, **{form_name: form})


@login_required
@require_POST
def terms_propose_view(request: HttpRequest, project_id: int) -> HttpResponse:
    project = access_project(request.user, project_id)
    return _project_form(request, project, TermsForm(request.POST), "terms_form",
                         lambda d: services.terms_propose(project=project, by=request.user, **d), to="workshare:project",
                         message=_("条件の新しい版を出しました。発注者とコーディネーターの確認を待ちます。"))


@login_required
@require_POST
def terms_confirm_view(request: HttpRequest, project_id: int, terms_id: int) -> HttpResponse:
    project = access_project(request.user, project_id)
    terms = project.terms.filter(pk=terms_id).first()
    if terms is None:
        raise Http404("terms")
    try:
        services.terms_confirm(terms=terms, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _project_page(request, project, status=400)
    messages.success(request, _("条件を確認しました。"))
    return redirect("workshare:project", project_id=project.pk)


@login_required
@require_POST
def team_add_view(request: HttpRequest, project_id: int) -> HttpResponse:
    project = access_project(request.user, project_id, need="coordinate")
    return _project_form(request, project, TeamAddForm(request.POST), "team_form",
                         lambda d: services.team_add(project=project, by=request.user, worker=d["username"],
                                                     offered_hours=d["offered_hours"]), to="workshare:project")


@login_required
@require_POST
def intake_view(request: HttpRequest, project_id: int) -> HttpResponse:
    project = access_project(request.user, project_id, need="coordinate")
    return _project_form(request, project, IntakeForm(request.POST), "intake_form",
                         lambda d: services.intake_record(project=project, by=request.user, notes=d["notes"]),
                         to="workshare:project", message=_("相談の記録を保存しました。"))


@login_required
@require_POST
def feedback_view(request: HttpRequest, project_id: int) -> HttpResponse:
    project = access_project(request.user, project_id)
    return _project_form(request, project, FeedbackForm(request.POST), "feedback_form",
                         lambda d: services.feedback_give(project=project, by=request.user, text=d["text"]),
                         to="workshare:project", message=_("チームにフィードバックを送りました。"))


@login_required
@require_POST
def team_leave_view(request: HttpRequest, project_id: int, user_id: int) -> HttpResponse:
    """The coordinator records that someone left: their elements go to their backups (or back to the pool)."""
    project = access_project(request.user, project_id, need="coordinate")
    member = project.team.filter(user_id=user_id, active=True).select_related("user").first()
    if member is None:
        raise Http404("member")
    affected = services.team_leave(project=project, by=request.user, worker=member.user)
    messages.success(request, _("%(name)s さんがチームを離れました。%(n)s件の作業要素の担当を見直してください。")
                     % {"name": member.user, "n": len(affected)})
    return redirect("workshare:plan", project_id=project.pk)


@login_required
@require_POST
def element_create_view(request: HttpRequest, project_id: int) -> HttpResponse:
    project = access_project(request.user, project_id, need="coordinate")
    return _project_form(request, project, ElementForm(request.POST, project=project), "element_form",
                         lambda d: services.element_create(project=project, by=request.user, **d), to="workshare:board")


@login_required
@require_POST
def elements_template_view(request: HttpRequest, project_id: int) -> HttpResponse:
    project = access_project(request.user, project_id, need="coordinate")
    return _project_form(request, project, MunicipalityTemplateForm(request.POST), "template_form",
                         lambda d: services.elements_from_municipalities(project=project, by=request.user, **d),
                         to="workshare:board", message=lambda created: _("%(n)s件の作業要素を作りました。") % {"n": len(created)})


@login_required
def board_view(request: HttpRequest, project_id: int) -> HttpResponse:
    """The team's shared board: every element with its primary, backup, status, due date, hours and latest note."""
    project = access_project(request.user, project_id)
    form = BoardFilterForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    elements = board_elements(project, status=criteria.get("status", ""),
                              person=request.user if criteria.get("mine") else None, sort=criteria.get("sort") or "due")
    if request.GET.get("format") in ("csv", "xlsx"):
        return _board_file(project, elements, request.GET["format"])
    return render(request, "workshare/board.html", {
        "project": project, "elements": elements, "form": form, "weeks": member_weeks(project),
        "coordinating": services.is_coordinator_of(request.user, project), "today": timezone.localdate(),
    })


def _board_file(project: Project, elements, fmt: str) -> HttpResponse:
    if fmt == "xlsx":
        response = HttpResponse(board_xlsx(elements),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        response = HttpResponse(board_csv(elements), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="board-{project.pk}.{fmt}"'
    return response


@login_required
def board_import_view(request: HttpRequest, project_id: int) -> HttpResponse:
    """The board from a CSV/XLSX file or a published sheet's CSV link: all rows checked, nothing written if any is bad."""
    project = access_project(request.user, project_id, need="coordinate")
    form = BoardImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["file"]:
                upload = form.cleaned_data["file"]
                suffix = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
                with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
                    for chunk in upload.chunks():
                        handle.write(chunk)
                    handle.flush()
                    result = board_import_file(project=project, by=request.user, path=handle.name)
            else:
                result = board_import_url(project=project, by=request.user, url=form.cleaned_data["url"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if not result.errors:
                messages.success(request, _("取り込みました：新規 %(c)s件、更新 %(u)s件、変更なし %(n)s件。")
                                 % {"c": result.created, "u": result.updated, "n": result.unchanged})
                return redirect("workshare:board", project_id=project.pk)
    failed = bool(form.errors or (result and result.errors))
    return render(request, "workshare/board_import.html", {"project": project, "form": form, "result": result},
                  status=400 if failed else 200)


@login_required
def plan_view(request: HttpRequest, project_id: int) -> HttpResponse:
    """GET: the planner's suggestion as an editable table. POST: apply what the coordinator kept."""
    project = access_project(request.user, project_id, need="coordinate")
    team = [m.user for m in project.team.filter(active=True).select_related("user")]
    if request.method == "POST":
        assignments, errors = {}, []
        for element in project.elements.exclude(status=WorkElement.Status.ACCEPTED):
            primary = _person(request.POST.get(f"primary-{element.pk}"), team)
            backup = _person(request.POST.get(f"backup-{element.pk}"), team)
            if primary and backup and primary == backup:
                errors.append(_("「%(title)s」：担当とバックアップが同じ人です。") % {"title": element.title})
            assignments[element.pk] = (primary, backup)
        if not errors:
            try:
                changed = services.plan_apply(project=project, by=request.user, assignments=assignments)
            except DomainError as exc:
                errors.append(exc.message)
            else:
                messages.success(request, _("%(n)s件の担当を決めました。") % {"n": changed})
                return redirect("workshare:board", project_id=project.pk)
        for error in errors:
            messages.error(request, error)
        return _plan_page(request, project, team, status=400)
    return _plan_page(request, project, team)


def _person(value: str | None, team) -> int | None:
    ids = {u.pk for u in team}
    return int(value) if value and re.fullmatch(r"[0-9]{1,12}", value) and int(value) in ids else None


def _plan_page(request, project: Project, team, *, status: int = 200) -> HttpResponse:
    plan = services.plan_suggest(project=project, by=request.user, time_limit=5.0)
    elements = list(project.elements.exclude(status=WorkElement.Status.ACCEPTED).order_by("due_on", "id"))
    rows = [{"element": e, "primary": plan.primary.get(e.pk), "backup": plan.backup.get(e.pk)} for e in elements]
    return render(request, "workshare/plan.html", {"project": project, "rows": rows, "team": team, "plan": plan},
                  status=status)


def _element_page(request, element: WorkElement, *, status: int = 200, **forms) -> HttpResponse:
    project = element.project
    pending = element.submissions.filter(decision=Submission.Decision.PENDING).first()
    reviewer = request.user.pk == project.owner_id or services.is_coordinator_of(request.user, project)
    return render(request, "workshare/element_detail.html", {
        "element": element, "project": project, "is_primary": request.user.pk == element.primary_id,
        "reviewer": reviewer, "is_owner": request.user.pk == project.owner_id, "pending": pending,
        "terms": project.current_terms(),
        "changes": element.change_requests.order_by("-created_at"), "handoffs": element.handoffs.select_related("from_user", "to_user"),
        "submissions": element.submissions.select_related("submitted_by"), "time_entries": element.time_entries.select_related("user"),
        "progress_form": forms.get("progress_form") or ProgressForm(initial={"note": element.progress_note}),
        "handoff_form": forms.get("handoff_form") or HandoffForm(),
        "submit_form": forms.get("submit_form") or SubmitForm(element=element),
        "review_form": forms.get("review_form") or ReviewForm(),
        "time_form": forms.get("time_form") or TimeEntryForm(initial={"worked_on": timezone.localdate()}),
        "error": forms.get("error"),
    }, status=status)


@login_required
def element_detail_view(request: HttpRequest, element_id: int) -> HttpResponse:
    return _element_page(request, access_element(request.user, element_id))


def _act(request, element: WorkElement, action, *, form=None, form_name: str = "", success: str):
    """Run one service on a POST; a DomainError re-renders the element page with the message (400)."""
    if form is not None and not form.is_valid():
        return _element_page(request, element, status=400, **{form_name: form})
    try:
        action(form.cleaned_data if form is not None else {})
    except DomainError as exc:
        if form is not None:
            add_domain_error(form, exc)
            return _element_page(request, element, status=400, **{form_name: form})
        return _element_page(request, element, status=400, error=exc.message)
    messages.success(request, success)
    return redirect("workshare:element", element_id=element.pk)


@login_required
@require_POST
def element_claim_view(request: HttpRequest, element_id: int) -> HttpResponse:
    element = access_element(request.user, element_id)
    return _act(request, element, lambda _d: services.element_claim(element_id=element.pk, worker=request.user),
                success=_("担当になりました。"))


@login_required
@require_POST
def element_progress_view(request: HttpRequest, element_id: int) -> HttpResponse:
    element = access_element(request.user, element_id)
    return _act(request, element, lambda d: services.element_progress(element=element, by=request.user, note=d["note"]),
                form=ProgressForm(request.POST), form_name="progress_form", success=_("進み具合を書きました。"))


@login_required
@require_POST
def element_handoff_view(request: HttpRequest, element_id: int) -> HttpResponse:
    element = access_element(request.user, element_id)
    return _act(request, element, lambda d: services.element_handoff(element=element, by=request.user, **d),
                form=HandoffForm(request.POST), form_name="handoff_form",
                success=_("引き継ぎました。ゆっくり休んでください。"))


@login_required
@require_POST
def element_submit_view(request: HttpRequest, element_id: int) -> HttpResponse:
    element = access_element(request.user, element_id)
    return _act(request, element, lambda d: services.element_submit(element=element, by=request.user, **d),
                form=SubmitForm(request.POST, element=element), form_name="submit_form", success=_("提出しました。"))


@login_required
@require_POST
def submission_review_view(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = Submission.objects.filter(pk=submission_id).select_related("element").first()
    if submission is None:
        raise Http404("submission")
    element = access_element(request.user, submission.element_id)

    def review(d):
        if d["decision"] == "accept":
            services.submission_accept(submission=submission, by=request.user, comment=d["comment"])
        else:
            result = services.submission_request_revision(submission=submission, by=request.user, comment=d["comment"],
                                                          price_yen=d["price_yen"] or 0, extra_days=d["extra_days"] or 0)
            if isinstance(result, ChangeRequest):
                messages.warning(request, _("含まれる修正の回数を使い切ったので、変更依頼として発注者の承認を待ちます。"))

    return _act(request, element, review, form=ReviewForm(request.POST), form_name="review_form", success=_("確認しました。"))


@login_required
@require_POST
def change_decide_view(request: HttpRequest, change_id: int) -> HttpResponse:
    change = ChangeRequest.objects.filter(pk=change_id).first()
    if change is None:
        raise Http404("change request")
    element = access_element(request.user, change.element_id)
    approve = request.POST.get("approve") == "yes"
    return _act(request, element, lambda _d: services.change_request_decide(change=change, by=request.user, approve=approve),
                success=_("変更依頼を決めました。"))


@login_required
@require_POST
def time_entry_view(request: HttpRequest, element_id: int) -> HttpResponse:
    element = access_element(request.user, element_id)
    return _act(request, element, lambda d: services.time_entry_add(element=element, by=request.user, **d),
                form=TimeEntryForm(request.POST), form_name="time_form", success=_("作業時間を記録しました。"))


@login_required
def statements_view(request: HttpRequest, project_id: int, year: int, month: int) -> HttpResponse:
    """Monthly statements: each worker sees their own, the coordinator everyone's and the cost; the owner the cost."""
    project = access_project(request.user, project_id)
    try:
        datetime.date(year, month, 1)
    except ValueError:
        raise Http404("month") from None
    visible, sees_cost = statement_readers(request.user, project)
    statements = [worker_statement(project, u, year=year, month=month) for u in visible]
    cost = project_cost(project, months=[(year, month)]) if sees_cost else None
    if request.GET.get("format") == "pdf":
        response = HttpResponse(statement_pdf(project_title=project.title, organisation=str(project.organisation),
                                              statements=statements), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="statements-{project.pk}-{year}-{month:02d}.pdf"'
        return response
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="statements-{project.pk}-{year}-{month:02d}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(["ワーカー", "月", "内訳", "数量", "単価（円）", "金額（円）"])
        for statement in statements:
            for line in statement.lines:
                writer.writerow([statement.worker.username, statement.month, escape_cell(line.label), line.quantity,
                                 line.unit_yen, line.amount_yen])
        return response
    return render(request, "workshare/statements.html", {"project": project, "statements": statements, "cost": cost,
                                                         "month": f"{year}-{month:02d}"})


@login_required
def person_view(request: HttpRequest, user_id: int) -> HttpResponse:
    """A team member's face, name, introduction, skills and hours; coordinators also see their private notes."""
    person = access_person(request.user, user_id)
    organisations = note_organisations(request.user, person)
    if request.method == "POST":
        chosen = next((o for o in organisations if str(o.pk) == request.POST.get("organisation")), None)
        if chosen is None:
            raise PermissionDenied
        form = NotesForm(request.POST)
        if form.is_valid():
            private_note_set(viewer=request.user, person=person, organisation=chosen, text=form.cleaned_data["notes"])
            messages.success(request, _("メモを保存しました。"))
            return redirect("workshare:person", user_id=person.pk)
    texts = dict(PrivateNote.objects.filter(person=person, organisation__in=organisations).values_list("organisation_id", "text"))
    notes = [{"organisation": o, "form": NotesForm(initial={"notes": texts.get(o.pk, "")})} for o in organisations]
    return render(request, "workshare/person.html", {
        "person": person, "profile": Profile.objects.filter(user=person).first(), "notes": notes,
        "skills": person.skills.select_related("skill").order_by("skill__name"), "windows": person.availability.all(),
    })


@login_required
def skills_view(request: HttpRequest) -> HttpResponse:
    """The skill list the coordinators maintain; everyone signed in can read it."""
    form = SkillForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            skill_add(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("workshare:skills")
    return render(request, "workshare/skills.html", {"skills": Skill.objects.all(), "form": form,
                                                     "can_edit": bool(coordinated_organisations(request.user))},
                  status=400 if form.errors else 200)


@login_required
def profile_edit_view(request: HttpRequest) -> HttpResponse:
    profile = Profile.objects.filter(user=request.user).first()
    initial = {"display_name": request.user.display_name, "introduction": profile.introduction if profile else "",
               "phone": profile.phone if profile else "",
               "region": profile.region if profile else "", "weekly_hour_cap": profile.weekly_hour_cap if profile else 10,
               "windows": windows_text(request.user),
               **{f"skill_{s.skill_id}": s.level for s in request.user.skills.all()}}
    form = ProfileForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            profile_update(user=request.user, display_name=data["display_name"], introduction=data["introduction"],
                           region=data["region"], weekly_hour_cap=data["weekly_hour_cap"],
                           windows=parse_windows(data["windows"]), photo=data["photo"], phone=data["phone"])
            skills_set(user=request.user, levels=form.skill_levels())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("プロフィールを保存しました。"))
            return redirect("workshare:person", user_id=request.user.pk)
    return render(request, "workshare/profile_edit.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def recruitment_open_view(request: HttpRequest, project_id: int) -> HttpResponse:
    project = access_project(request.user, project_id, need="coordinate")
    return _project_form(request, project, RecruitmentForm(request.POST), "recruitment_form",
                         lambda d: services.recruitment_open(project=project, by=request.user, **d), to="workshare:project",
                         message=_("メンバー募集を出しました。団体のワーカーに知らせました。"))


@login_required
@require_POST
def application_decide_view(request: HttpRequest, application_id: int) -> HttpResponse:
    application = Application.objects.filter(pk=application_id).select_related("recruitment").first()
    if application is None:
        raise Http404("application")
    project = access_project(request.user, application.recruitment.project_id, need="coordinate")
    try:
        services.application_decide(application=application, by=request.user, accept=request.POST.get("accept") == "yes")
    except DomainError as exc:
        messages.error(request, exc.message)
        return _project_page(request, project, status=400)
    return redirect("workshare:project", project_id=project.pk)


@login_required
def recruitments_view(request: HttpRequest) -> HttpResponse:
    """Open calls of the NPOs one works for, with one's own answers."""
    calls = (recruitments_open_to(request.user).filter(is_open=True, closes_on__gte=timezone.localdate())
             .prefetch_related("skills"))
    mine = {a.recruitment_id: a for a in Application.objects.filter(worker=request.user)}
    return render(request, "workshare/recruitments.html", {
        "calls": [{"call": c, "mine": mine.get(c.pk), "form": ApplicationForm(initial={"offered_hours": c.hours_per_week})}
                  for c in calls]})


@login_required
@require_POST
def application_view(request: HttpRequest, recruitment_id: int) -> HttpResponse:
    call = access_recruitment(request.user, recruitment_id)
    form = ApplicationForm(request.POST)
    if form.is_valid():
        try:
            services.application_submit(recruitment=call, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("応募しました。コーディネーターからの連絡を待ってください。"))
            return redirect("workshare:recruitments")
    return render(request, "workshare/recruitments.html", {"calls": [{"call": call, "mine": None, "form": form}]}, status=400)


@login_required
def audit_view(request: HttpRequest, project_id: int) -> HttpResponse:
    """Who changed terms, team, assignments, reviews and time: the owner and the NPO's coordinators."""
    project = access_project(request.user, project_id, need="audit")
    entries = Paginator(audit_entries_for_project(project.pk), 100).get_page(request.GET.get("page"))
    return render(request, "workshare/audit.html", {"project": project, "entries": entries})
