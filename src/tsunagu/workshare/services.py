"""Work-sharing writes. Each service checks who may do what (the rule, not the page), raises a DomainError with a
Japanese message naming the field when it can't, and changes nothing in that case."""

import datetime
import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import Membership, Skill
from tsunagu.core.audit import audit_record
from tsunagu.core.errors import DomainError
from tsunagu.core.notify import notify
from tsunagu.municipalities.models import Municipality

from .models import ChangeRequest, Handoff, Project, Submission, Terms, TeamMember, TimeEntry, WorkElement

logger = logging.getLogger(__name__)


def is_coordinator_of(user, project: Project) -> bool:
    return user.is_authenticated and (user.is_superuser or Membership.objects.filter(
        organisation_id=project.organisation_id, user=user, role=Membership.Role.COORDINATOR).exists())


def _require_coordinator(user, project: Project) -> None:
    if not is_coordinator_of(user, project):
        raise DomainError(_("この操作はこのプロジェクトのコーディネーターだけができます。"))


def _require_reviewer(user, project: Project) -> None:
    if user.pk != project.owner_id and not is_coordinator_of(user, project):
        raise DomainError(_("確認は発注者かコーディネーターがします。"))


# -- request and terms -------------------------------------------------------------------------------------------


@transaction.atomic
def project_request(*, owner, coordinator, title: str, deliverable: str, deadline: datetime.date, budget_yen: int,
                    background: str = "", goal: str = "", today: datetime.date | None = None) -> Project:
    """The owner's need in plain words. The coordinator must coordinate for an NPO (whose project it becomes)."""
    today = today or timezone.localdate()
    if deadline < today:
        raise DomainError(_("納期が過去の日付です。"), field="deadline")
    membership = Membership.objects.filter(user=coordinator, role=Membership.Role.COORDINATOR).select_related("organisation").first()
    if membership is None:
        raise DomainError(_("選んだ人はコーディネーターではありません。"), field="coordinator")
    return Project.objects.create(organisation=membership.organisation, owner=owner, coordinator=coordinator, title=title,
                                  deliverable=deliverable, deadline=deadline, budget_yen=budget_yen,
                                  background=background, goal=goal)


@transaction.atomic
def terms_propose(*, project: Project, by, acceptance_criteria: str, revision_rounds: int, review_window_days: int,
                  change_request_definition: str, payment_rule: str, points_yen: int = 0, hourly_rate_yen: int = 0,
                  standby_yen_per_element: int = 0, coordinator_fee_percent: Decimal = Decimal("10")) -> Terms:
    """A new version of the terms; neither side has confirmed it yet (the proposer confirms like the other)."""
    if by.pk != project.owner_id and not is_coordinator_of(by, project):
        raise DomainError(_("条件を出せるのは発注者かコーディネーターです。"))
    if review_window_days < 1:
        raise DomainError(_("確認期間は1日以上にしてください。"), field="review_window_days")
    last = Terms.objects.select_for_update().filter(project=project).order_by("-version").first()
    terms = Terms.objects.create(
        project=project, version=(last.version + 1) if last else 1, acceptance_criteria=acceptance_criteria,
        revision_rounds=revision_rounds, review_window_days=review_window_days,
        change_request_definition=change_request_definition, payment_rule=payment_rule, points_yen=points_yen,
        hourly_rate_yen=hourly_rate_yen, standby_yen_per_element=standby_yen_per_element,
        coordinator_fee_percent=coordinator_fee_percent, proposed_by=by)
    changed = {f: (getattr(last, f) if last else None, getattr(terms, f)) for f in TERMS_AUDITED
               if last is None or getattr(last, f) != getattr(terms, f)}
    audit_record(actor=by, action="terms.propose", target=terms, project_id=project.pk, changes=changed,
                 summary=_("条件の第%(version)s版を提案") % {"version": terms.version})
    return terms


TERMS_AUDITED = ("acceptance_criteria", "revision_rounds", "review_window_days", "change_request_definition",
                 "payment_rule", "points_yen", "hourly_rate_yen", "standby_yen_per_element", "coordinator_fee_percent")


@transaction.atomic
def terms_confirm(*, terms: Terms, by) -> Terms:
    """The owner or the coordinator confirms this version; once both have, it is what the team works under."""
    project = terms.project
    latest = Terms.objects.select_for_update().filter(project=project).order_by("-version").first()
    if latest.pk != terms.pk:
        raise DomainError(_("新しい版があります。最新の版を確認してください。"))
    terms = latest  # the locked row: a confirmation by the other side at the same moment is kept
    now = timezone.now()
    if by.pk == project.owner_id:
        terms.owner_confirmed_at = terms.owner_confirmed_at or now
        terms.save(update_fields=["owner_confirmed_at"])
    elif is_coordinator_of(by, project):
        terms.coordinator_confirmed_at = terms.coordinator_confirmed_at or now
        terms.save(update_fields=["coordinator_confirmed_at"])
    else:
        raise DomainError(_("条件を確認できるのは発注者とコーディネーターです。"))
    audit_record(actor=by, action="terms.confirm", target=terms, project_id=project.pk,
                 summary=_("条件の第%(version)s版を確認") % {"version": terms.version})
    if terms.is_agreed and project.status == Project.Status.INTAKE:
        project.status = Project.Status.AGREED
        project.save(update_fields=["status"])
    return terms


def _agreed_terms(project: Project) -> Terms:
    terms = project.current_terms()
    if terms is None:
        raise DomainError(_("まだ条件が合意されていません。発注者とコーディネーターの両方が確認してください。"))
    return terms


# -- team and elements -------------------------------------------------------------------------------------------


@transaction.atomic
def team_add(*, project: Project, by, worker, offered_hours: int) -> TeamMember:
    _require_coordinator(by, project)
    if offered_hours < 1:
        raise DomainError(_("週に出せる時間は1時間以上にしてください。"), field="offered_hours")
    if not Membership.objects.filter(organisation=project.organisation, user=worker, role=Membership.Role.WORKER).exists():
        raise DomainError(_("%(name)s さんは%(org)sのワーカーではありません。先に招待してください。")
                          % {"name": worker, "org": project.organisation}, field="username")
    member, _created = TeamMember.objects.update_or_create(project=project, user=worker,
                                                          defaults={"offered_hours": offered_hours, "active": True})
    audit_record(actor=by, action="team.add", target=member, project_id=project.pk,
                 summary=_("%(name)s さんをチームに（週%(hours)s時間）") % {"name": worker, "hours": offered_hours})
    return member


def _check_due(due_on: datetime.date, project: Project, today: datetime.date) -> None:
    if due_on < today:
        raise DomainError(_("期限が過去の日付です。"), field="due_on")


@transaction.atomic
def element_create(*, project: Project, by, title: str, estimated_hours: Decimal, due_on: datetime.date,
                   instructions: str = "", skills: list[Skill] | None = None, checklist: list[str] | None = None,
                   group_key: str = "", depends_on: list[WorkElement] | None = None,
                   today: datetime.date | None = None) -> WorkElement:
    _require_coordinator(by, project)
    _check_due(due_on, project, today or timezone.localdate())
    if estimated_hours <= 0:
        raise DomainError(_("見込み時間は0より大きくしてください。"), field="estimated_hours")
    element = WorkElement.objects.create(project=project, title=title, instructions=instructions,
                                         estimated_hours=estimated_hours, due_on=due_on,
                                         checklist=[c for c in (checklist or []) if c.strip()], group_key=group_key)
    if skills:
        element.skills.set(skills)
    if depends_on:
        if any(other.project_id != project.pk for other in depends_on):
            raise DomainError(_("ほかのプロジェクトの作業要素には依存できません。"), field="depends_on")
        element.depends_on.set(depends_on)
    return element


@transaction.atomic
def elements_from_municipalities(*, project: Project, by, lg_codes: list[str], title_pattern: str,
                                 estimated_hours: Decimal, due_on: datetime.date, skills: list[Skill] | None = None,
                                 checklist: list[str] | None = None, periods: list[str] | None = None,
                                 today: datetime.date | None = None) -> list[WorkElement]:
    """The data-collection template: one element per municipality (and per period), grouped by municipality so the
    planner keeps one person on it. `title_pattern` may use {municipality} and {period}."""
    _require_coordinator(by, project)
    _check_due(due_on, project, today or timezone.localdate())
    found = {m.lg_code: m for m in Municipality.objects.filter(lg_code__in=lg_codes).select_related("prefecture")}
    unknown = [code for code in lg_codes if code not in found]
    if unknown:
        raise DomainError(_("団体コード %(codes)s が自治体マスタにありません。") % {"codes": "、".join(unknown)}, field="lg_codes")
    created = []
    for code in lg_codes:
        municipality = found[code]
        for period in periods or [""]:
            # Placeholders are replaced as text: braces in a title are the coordinator's, not a format string.
            title = title_pattern.replace("{municipality}", municipality.full_name).replace("{period}", period).strip()
            if not title or len(title) > 200:
                raise DomainError(_("作業要素の名前は1〜200文字にしてください（%(title)s）。") % {"title": title[:40]},
                                  field="title_pattern")
            created.append(element_create(project=project, by=by, title=title, estimated_hours=estimated_hours,
                                          due_on=due_on, skills=skills, checklist=checklist, group_key=code, today=today,
                                          instructions=f"{municipality.full_name}（{code}）"
                                                       + (f" {municipality.url}" if getattr(municipality, "url", "") else "")))
    return created


@transaction.atomic
def element_assign(*, element: WorkElement, by, primary, backup) -> WorkElement:
    """The coordinator sets the primary and the backup (the planner's suggestion, edited). Different people."""
    _require_coordinator(by, element.project)
    element = WorkElement.objects.select_for_update().select_related("project").get(pk=element.pk)
    if primary is not None and backup is not None and primary.pk == backup.pk:
        raise DomainError(_("担当とバックアップは別の人にしてください。"), field="backup")
    team = set(TeamMember.objects.filter(project=element.project, active=True).values_list("user_id", flat=True))
    for person, field in ((primary, "primary"), (backup, "backup")):
        if person is not None and person.pk not in team:
            raise DomainError(_("%(name)s さんはこのプロジェクトのチームにいません。") % {"name": person}, field=field)
    if element.status in HELD and (primary is None or primary.pk != element.primary_id):
        if element.status in DONE or primary is None:
            raise DomainError(_("%(status)sの作業要素の担当は外せません。") % {"status": element.get_status_display()},
                              field="primary")
        Handoff.objects.create(element=element, from_user=element.primary, to_user=primary,
                               note=_("コーディネーターが担当を替えました"))
    audit_record(actor=by, action="element.assign", target=element, project_id=element.project_id,
                 summary=_("%(title)s の担当を設定") % {"title": element.title},
                 changes={"primary": (element.primary, primary), "backup": (element.backup, backup)})
    element.primary, element.backup = primary, backup
    if primary is not None and element.status == WorkElement.Status.OPEN:
        element.status = WorkElement.Status.CLAIMED
    elif primary is None and element.status == WorkElement.Status.CLAIMED:
        element.status = WorkElement.Status.OPEN
    element.save()
    return element


HELD = {WorkElement.Status.IN_PROGRESS, WorkElement.Status.REVISION_REQUESTED, WorkElement.Status.SUBMITTED,
        WorkElement.Status.ACCEPTED}  # someone's work is in it
DONE = {WorkElement.Status.SUBMITTED, WorkElement.Status.ACCEPTED}


def _worker_skills(user) -> set[int]:
    return set(user.skills.values_list("skill_id", flat=True))


@transaction.atomic
def element_claim(*, element_id: int, worker) -> WorkElement:
    """A team member pulls an open element that fits their skills. Two people at once: the database lets one win."""
    element = WorkElement.objects.select_related("project").get(pk=element_id)
    if not TeamMember.objects.filter(project=element.project, user=worker, active=True).exists():
        raise DomainError(_("このプロジェクトのチームに入っていないので担当できません。"))
    missing = set(element.skills.values_list("pk", flat=True)) - _worker_skills(worker)
    if missing:
        names = "、".join(Skill.objects.filter(pk__in=missing).values_list("name", flat=True))
        raise DomainError(_("この作業要素には %(skills)s のスキルが必要です。") % {"skills": names})
    # The condition is in the UPDATE itself: of two simultaneous claims only one row update can match.
    won = WorkElement.objects.filter(pk=element_id, status=WorkElement.Status.OPEN, primary__isnull=True).update(
        primary=worker, status=WorkElement.Status.CLAIMED,
        backup=None if element.backup_id == worker.pk else F("backup"), updated_at=timezone.now())
    if not won:
        raise DomainError(_("この作業要素はほかの人が担当しています。"))
    element.refresh_from_db()
    return element


def _require_primary(element: WorkElement, user, message: str) -> None:
    if element.primary_id != user.pk:
        raise DomainError(message)


@transaction.atomic
def element_progress(*, element: WorkElement, by, note: str) -> WorkElement:
    element = WorkElement.objects.select_for_update().get(pk=element.pk)
    _require_primary(element, by, _("進み具合を書けるのは担当の人です。"))
    element.progress_note = note
    if element.status == WorkElement.Status.CLAIMED:
        element.status = WorkElement.Status.IN_PROGRESS
    element.save(update_fields=["progress_note", "status", "updated_at"])
    return element


@transaction.atomic
def element_handoff(*, element: WorkElement, by, note: str = "", partial_work: str = "") -> Handoff:
    """「続けられません」: the element goes to the backup with the partial work and a note, or back to the pool
    (and the coordinator is alerted). No rating, no penalty: only who handed what to whom."""
    element = WorkElement.objects.select_for_update().select_related("project").get(pk=element.pk)
    _require_primary(element, by, _("引き継げるのは自分が担当している作業要素だけです。"))
    if element.status in DONE:
        raise DomainError(_("提出済み・受け入れ済みの作業要素は引き継げません（確認を待っています）。"))
    backup = element.backup
    element.partial_work = partial_work or element.partial_work
    element.primary, element.backup = backup, None
    if backup is None:
        element.status = WorkElement.Status.OPEN
    element.save()
    handoff = Handoff.objects.create(element=element, from_user=by, to_user=backup, note=note)
    coordinator = element.project.coordinator
    if backup is not None:
        notify(recipients=[backup, coordinator], subject=_("作業要素「%(title)s」を引き継ぎました") % {"title": element.title},
               body=_("%(from)s さんから %(to)s さんへ。メモ：%(note)s") % {"from": by, "to": backup, "note": note or "—"})
    else:
        notify(recipients=[coordinator], subject=_("バックアップのいない作業要素が戻りました：%(title)s") % {"title": element.title},
               body=_("%(from)s さんが続けられなくなりました。担当を決めてください。メモ：%(note)s") % {"from": by, "note": note or "—"})
    return handoff


# -- submission, review, change requests ----------------------------------------------------------------------------


@transaction.atomic
def element_submit(*, element: WorkElement, by, checklist_done: list[str], note: str = "") -> Submission:
    element = WorkElement.objects.select_for_update().select_related("project").get(pk=element.pk)
    _require_primary(element, by, _("提出できるのは担当の人です。"))
    if element.status not in {WorkElement.Status.CLAIMED, WorkElement.Status.IN_PROGRESS,
                              WorkElement.Status.REVISION_REQUESTED}:
        raise DomainError(_("この状態（%(status)s）では提出できません。") % {"status": element.get_status_display()})
    missing = [item for item in element.checklist if item not in checklist_done]
    if missing:
        raise DomainError(_("チェックリストの「%(item)s」がまだです。") % {"item": missing[0]}, field="checklist_done")
    waiting = element.depends_on.exclude(status=WorkElement.Status.ACCEPTED).values_list("title", flat=True)
    if waiting:
        raise DomainError(_("先に「%(titles)s」が受け入れられている必要があります。") % {"titles": "」「".join(waiting)})
    terms = _agreed_terms(element.project)
    now = timezone.now()
    submission = Submission.objects.create(element=element, submitted_by=by, note=note, checklist_done=checklist_done,
                                           review_due_at=now + datetime.timedelta(days=terms.review_window_days))
    element.status, element.submitted_at = WorkElement.Status.SUBMITTED, now
    element.save(update_fields=["status", "submitted_at", "updated_at"])
    notify(recipients=[element.project.owner, element.project.coordinator],
           subject=_("提出がありました：%(title)s") % {"title": element.title},
           body=_("%(days)s日以内に確認してください。確認がなければ自動で受け入れになります。") % {"days": terms.review_window_days})
    return submission


def _pending(submission: Submission) -> Submission:
    submission = Submission.objects.select_for_update().select_related("element__project").get(pk=submission.pk)
    if submission.decision != Submission.Decision.PENDING:
        raise DomainError(_("この提出はもう確認済みです（%(decision)s）。") % {"decision": submission.get_decision_display()})
    return submission


@transaction.atomic
def submission_accept(*, submission: Submission, by, comment: str = "") -> Submission:
    submission = _pending(submission)
    _require_reviewer(by, submission.element.project)
    return _accept(submission, by=by, comment=comment, decision=Submission.Decision.ACCEPTED)


def _accept(submission: Submission, *, by, comment: str, decision: str) -> Submission:
    now = timezone.now()
    submission.decision, submission.review_comment, submission.reviewed_by, submission.reviewed_at = decision, comment, by, now
    submission.save()
    element = submission.element
    audit_record(actor=by, action=f"submission.{decision}", target=submission, project_id=element.project_id,
                 summary=_("%(title)s を受け入れ（%(decision)s）") % {"title": element.title,
                                                                  "decision": submission.get_decision_display()})
    element.status, element.accepted_at = WorkElement.Status.ACCEPTED, now
    element.save(update_fields=["status", "accepted_at", "updated_at"])
    return submission


@transaction.atomic
def submission_request_revision(*, submission: Submission, by, comment: str, price_yen: int = 0,
                                extra_days: int = 0) -> Submission | ChangeRequest:
    """A revision round while the policy has rounds left; after that the request becomes a change request that the
    owner approves with its price or time (the submission waits for it)."""
    submission = _pending(submission)
    element = submission.element
    _require_reviewer(by, element.project)
    if not comment.strip():
        raise DomainError(_("何を直してほしいかを書いてください。"), field="comment")
    terms = _agreed_terms(element.project)
    if element.revision_rounds_used >= terms.revision_rounds:
        if element.change_requests.filter(status=ChangeRequest.Status.PROPOSED).exists():
            raise DomainError(_("承認待ちの変更依頼があります。先にそれを決めてください。"))
        change = ChangeRequest.objects.create(element=element, description=comment, requested_by=by, price_yen=price_yen,
                                              extra_days=extra_days)
        audit_record(actor=by, action="change_request.create", target=change, project_id=element.project_id,
                     summary=_("%(title)s の変更依頼（%(price)s円、%(days)s日延長）")
                     % {"title": element.title, "price": price_yen, "days": extra_days})
        notify(recipients=[element.project.owner, element.project.coordinator],
               subject=_("変更依頼の承認が必要です：%(title)s") % {"title": element.title},
               body=_("含まれる修正（%(rounds)s回）を使い切ったため、変更依頼になりました。費用 %(price)s円、%(days)s日延長。")
               % {"rounds": terms.revision_rounds, "price": price_yen, "days": extra_days})
        return change
    submission.decision, submission.review_comment = Submission.Decision.REVISION, comment
    submission.reviewed_by, submission.reviewed_at = by, timezone.now()
    submission.save()
    audit_record(actor=by, action="submission.revision", target=submission, project_id=element.project_id,
                 summary=_("%(title)s の修正を依頼（%(round)s回目）") % {"title": element.title,
                                                                  "round": element.revision_rounds_used + 1})
    element.status = WorkElement.Status.REVISION_REQUESTED
    element.revision_rounds_used = F("revision_rounds_used") + 1
    element.save(update_fields=["status", "revision_rounds_used", "updated_at"])
    element.refresh_from_db()
    return submission


@transaction.atomic
def change_request_decide(*, change: ChangeRequest, by, approve: bool) -> ChangeRequest:
    """Only the owner decides. Approved: the element goes back for the change (not a revision round), the due date
    moves by the extra days. Declined: the submission stays waiting for acceptance."""
    change = ChangeRequest.objects.select_for_update().select_related("element__project").get(pk=change.pk)
    element = change.element
    if by.pk != element.project.owner_id:
        raise DomainError(_("変更依頼を承認できるのは発注者だけです。"))
    if change.status != ChangeRequest.Status.PROPOSED:
        raise DomainError(_("この変更依頼はもう決まっています。"))
    change.status = ChangeRequest.Status.APPROVED if approve else ChangeRequest.Status.DECLINED
    change.decided_at = timezone.now()
    change.save()
    audit_record(actor=by, action=f"change_request.{change.status}", target=change, project_id=element.project_id,
                 summary=_("%(title)s の変更依頼を%(decision)s（%(price)s円）")
                 % {"title": element.title, "decision": change.get_status_display(), "price": change.price_yen})
    if approve:
        pending = element.submissions.filter(decision=Submission.Decision.PENDING).first()
        if pending:
            pending.decision, pending.review_comment = Submission.Decision.REVISION, change.description
            pending.reviewed_by, pending.reviewed_at = by, change.decided_at
            pending.save()
        element.status = WorkElement.Status.REVISION_REQUESTED
        element.due_on = element.due_on + datetime.timedelta(days=change.extra_days)
        element.save(update_fields=["status", "due_on", "updated_at"])
    return change


def submissions_auto_accept(*, now: datetime.datetime | None = None) -> int:
    """Accept every submission whose review window has passed without a review, and tell everyone."""
    now = now or timezone.now()
    count = 0
    for submission_id in Submission.objects.filter(decision=Submission.Decision.PENDING, review_due_at__lt=now).exclude(
            element__change_requests__status=ChangeRequest.Status.PROPOSED).values_list("pk", flat=True):
        try:
            with transaction.atomic():
                submission = _pending(Submission(pk=submission_id))
                if submission.element.change_requests.filter(status=ChangeRequest.Status.PROPOSED).exists():
                    continue  # decided under the lock: a change request opened meanwhile waits for the owner
                _accept(submission, by=None, comment="", decision=Submission.Decision.AUTO_ACCEPTED)
                element = submission.element
                notify(recipients=[element.project.owner, element.project.coordinator, element.primary],
                       subject=_("確認期間が過ぎたので受け入れました：%(title)s") % {"title": element.title},
                       body=_("合意した条件のとおり、確認期間が過ぎた提出は自動で受け入れになります。"))
        except DomainError:
            continue
        except Exception:  # one broken submission must not stop the others
            logger.exception("auto-accept: submission %s failed", submission_id)
            continue
        count += 1
    return count


# -- time ----------------------------------------------------------------------------------------------------------


@transaction.atomic
def time_entry_add(*, element: WorkElement, by, worked_on: datetime.date, minutes: int, memo: str = "",
                   today: datetime.date | None = None) -> TimeEntry:
    """A worker logs time on an element they hold (as primary or backup), with a short memo. No tracking."""
    from tsunagu.accounts.models import User

    User.objects.select_for_update().filter(pk=by.pk).first()  # one person's entries are added one at a time
    element = WorkElement.objects.get(pk=element.pk)
    handed = element.handoffs.filter(from_user=by).order_by("-created_at").first()
    holds = by.pk in {element.primary_id, element.backup_id}
    if not holds and (handed is None or worked_on > timezone.localtime(handed.created_at).date()):
        raise DomainError(_("自分の担当ではない作業要素には時間を記録できません。"), field="element")
    if worked_on > (today or timezone.localdate()):
        raise DomainError(_("未来の日付には記録できません。"), field="worked_on")
    if minutes <= 0:
        raise DomainError(_("時間は1分以上にしてください。"), field="minutes")
    logged = TimeEntry.objects.filter(user=by, worked_on=worked_on).aggregate(total=Sum("minutes"))["total"] or 0
    if logged + minutes > 24 * 60:
        raise DomainError(_("%(date)s の合計が24時間を超えます（記録済み %(hours).1f 時間）。")
                          % {"date": worked_on.isoformat(), "hours": logged / 60}, field="minutes")
    entry = TimeEntry.objects.create(element=element, user=by, worked_on=worked_on, minutes=minutes, memo=memo)
    audit_record(actor=by, action="time.add", target=entry, project_id=element.project_id,
                 summary=_("%(title)s に %(date)s %(minutes)s分") % {"title": element.title, "date": worked_on.isoformat(),
                                                                   "minutes": minutes})
    return entry



# -- planning ------------------------------------------------------------------------------------------------------


def plan_suggest(*, project: Project, by, today: datetime.date | None = None, time_limit: float = 8.0):
    """The planner's suggestion for the elements not yet accepted (a Plan; nothing is written)."""
    from .planning import PlanElement, PlanWorker, plan_team
    from .selectors import active_members, weekly_cap, window_hours

    _require_coordinator(by, project)
    today = today or timezone.localdate()
    weeks = max(1, -(-(project.deadline - today).days // 7))
    workers = []
    members = active_members(project)
    windows_by_user = window_hours(members)
    for member in members:
        weekly = weekly_cap(member)
        windows = windows_by_user[member.user_id]
        if windows:
            weekly = min(weekly, windows)
        workers.append(PlanWorker(id=member.user_id, skills=frozenset(_worker_skills(member.user)),
                                  capacity_tenths=int(weekly * weeks * 10)))
    team_ids = {w.id for w in workers}
    elements = [PlanElement(id=e.pk, skills=frozenset(s.pk for s in e.skills.all()),
                            hours_tenths=int(e.estimated_hours * 10), group=e.group_key,
                            fixed_primary=e.primary_id if e.status in HELD and e.primary_id in team_ids else None)
                for e in project.elements.exclude(status=WorkElement.Status.ACCEPTED).prefetch_related("skills")]
    return plan_team(workers, elements, time_limit=time_limit)


@transaction.atomic
def plan_apply(*, project: Project, by, assignments: dict[int, tuple[int | None, int | None]]) -> int:
    """Apply the (edited) suggestion: element id → (primary id, backup id). Elements submitted or accepted keep their
    primary (the work is theirs), so do elements in progress left without one; their backup may change. Returns how
    many elements changed."""
    from tsunagu.accounts.models import User

    _require_coordinator(by, project)
    wanted = {}
    for element in project.elements.select_for_update().filter(pk__in=assignments):
        primary_id, backup_id = assignments[element.pk]
        if element.status in HELD and (primary_id is None or element.status in DONE):
            primary_id = element.primary_id  # work under way keeps its person unless the coordinator names another
        if backup_id == primary_id:
            backup_id = element.backup_id if element.backup_id != primary_id else None
        if (primary_id, backup_id) != (element.primary_id, element.backup_id):
            wanted[element] = (primary_id, backup_id)
    people = User.objects.in_bulk({p for pair in wanted.values() for p in pair if p})
    for element, (primary_id, backup_id) in wanted.items():
        element_assign(element=element, by=by, primary=people.get(primary_id), backup=people.get(backup_id))
    changed = len(wanted)
    if changed and project.status == Project.Status.AGREED:
        project.status = Project.Status.RUNNING
        project.save(update_fields=["status"])
    return changed


@transaction.atomic
def intake_record(*, project: Project, by, notes: str) -> Project:
    """The coordinator's record of the intake conversation, shown on the project page."""
    _require_coordinator(by, project)
    project.intake_notes = notes
    project.save(update_fields=["intake_notes"])
    return project


@transaction.atomic
def feedback_give(*, project: Project, by, text: str):
    """Feedback from the owner or the coordinator goes to the whole team, never to one person (no ratings)."""
    from .models import TeamFeedback

    _require_reviewer(by, project)
    if not text.strip():
        raise DomainError(_("フィードバックを書いてください。"), field="text")
    feedback = TeamFeedback.objects.create(project=project, given_by=by, text=text.strip())
    members = [m.user for m in project.team.filter(active=True).select_related("user")]
    notify(recipients=members, subject=_("チームへのフィードバック：%(title)s") % {"title": project.title}, body=text.strip())
    return feedback


@transaction.atomic
def team_leave(*, project: Project, by, worker) -> list[WorkElement]:
    """A worker leaves the team (the coordinator records it): their held elements go to their backups or back to
    the pool, their backup places empty. Returns the elements that need a new plan."""
    _require_coordinator(by, project)
    TeamMember.objects.filter(project=project, user=worker).update(active=False)
    audit_record(actor=by, action="team.leave", target=project, project_id=project.pk,
                 summary=_("%(name)s さんがチームを離れた") % {"name": worker})
    affected = []
    for element in project.elements.filter(primary=worker).exclude(status__in=DONE):
        element_handoff(element=element, by=worker, note=_("チームを離れたため"))
        affected.append(element)
    for element in project.elements.filter(backup=worker).exclude(status=WorkElement.Status.ACCEPTED):  # past pay stays
        element.backup = None
        element.save(update_fields=["backup", "updated_at"])
        affected.append(element)
    return affected


# -- recruitment ---------------------------------------------------------------------------------------------------


@transaction.atomic
def recruitment_open(*, project: Project, by, message: str, hours_per_week: int, closes_on: datetime.date,
                     skills: list[Skill] | None = None, today: datetime.date | None = None):
    """The coordinator calls the NPO's workers: skills and hours wanted, until a date. Every worker of the NPO is told."""
    from .models import Recruitment

    _require_coordinator(by, project)
    if closes_on < (today or timezone.localdate()):
        raise DomainError(_("締切が過去の日付です。"), field="closes_on")
    if not 1 <= hours_per_week <= 80:
        raise DomainError(_("週の時間は1〜80時間にしてください。"), field="hours_per_week")
    recruitment = Recruitment.objects.create(project=project, message=message, hours_per_week=hours_per_week,
                                             closes_on=closes_on)
    if skills:
        recruitment.skills.set(skills)
    workers = [m.user for m in Membership.objects.filter(organisation=project.organisation, role=Membership.Role.WORKER)
               .select_related("user")]
    notify(recipients=workers, subject=_("メンバー募集：%(title)s") % {"title": project.title},
           body=_("%(message)s\n週%(hours)s時間くらい、%(closes)sまで。") % {"message": message, "hours": hours_per_week,
                                                                           "closes": closes_on.isoformat()})
    return recruitment


@transaction.atomic
def application_submit(*, recruitment, by, offered_hours: int, note: str = "", today: datetime.date | None = None):
    """A worker of the NPO answers with the hours they can give (once per call; answering again updates it)."""
    from .models import Application

    project = recruitment.project
    if not Membership.objects.filter(organisation=project.organisation, user=by, role=Membership.Role.WORKER).exists():
        raise DomainError(_("この募集には、%(org)sのワーカーが応募できます。") % {"org": project.organisation})
    if not recruitment.is_open or recruitment.closes_on < (today or timezone.localdate()):
        raise DomainError(_("この募集は締め切りました。"))
    if not 1 <= offered_hours <= 80:
        raise DomainError(_("週に出せる時間は1〜80時間にしてください。"), field="offered_hours")
    application, _created = Application.objects.update_or_create(
        recruitment=recruitment, worker=by, defaults={"offered_hours": offered_hours, "note": note})
    notify(recipients=[project.coordinator], subject=_("応募がありました：%(title)s") % {"title": project.title},
           body=_("%(name)s さん、週%(hours)s時間。%(note)s") % {"name": by, "hours": offered_hours, "note": note})
    return application


@transaction.atomic
def application_decide(*, application, by, accept: bool):
    """The coordinator takes the worker into the team with the hours they offered, or thanks them for this time."""
    from .models import Application

    application = Application.objects.select_for_update().select_related("recruitment__project", "worker").get(pk=application.pk)
    project = application.recruitment.project
    _require_coordinator(by, project)
    if application.status != Application.Status.PENDING:
        raise DomainError(_("この応募はもう決まっています。"))
    application.status = Application.Status.ACCEPTED if accept else Application.Status.DECLINED
    application.save(update_fields=["status"])
    if accept:
        team_add(project=project, by=by, worker=application.worker, offered_hours=application.offered_hours)
    notify(recipients=[application.worker], subject=_("応募の結果：%(title)s") % {"title": project.title},
           body=_("チームに入りました。ボードを見てください。") if accept else _("今回は見送りになりました。また募集があればお知らせします。"))
    return application
