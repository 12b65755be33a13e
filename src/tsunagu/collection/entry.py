"""Entering, double-checking and publishing a candidate.

A candidate is entered by one person; for double entry a second person enters it blind. The two are compared field
by field after normalisation (widths, spelling variants, era years; dates and amounts as values), agreeing fields
are kept, and disagreements go to a reviewer who picks or corrects. A checked record is published to Kōbo with its
provenance — entered by, checked by, source URL, snapshot — and is searchable at once."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.core.dates import parse_date
from tsunagu.core.errors import DomainError
from tsunagu.core.money import parse_amount
from tsunagu.core.text import normalize_text
from tsunagu.notices.identity import notice_fingerprint, notice_title_key
from tsunagu.notices.imports.cells import clean_kind, clean_url
from tsunagu.notices.models import Notice, NoticeRevision

from .models import Candidate, Entry, GoldScore

FIELDS = ("title", "kind", "published_on", "application_deadline", "submission_deadline", "budget_yen", "department")
DATE_FIELDS = {"published_on", "application_deadline", "submission_deadline"}


def _comparable(name: str, value) -> object:
    """What counts as the same value: 令和8年4月1日 = 2026/4/1, 1,100万円 = 11000000, ＩＣＴ = ICT."""
    if value in (None, ""):
        return None
    if name in DATE_FIELDS:
        parsed = parse_date(value)
        return parsed.date if parsed else None
    if name == "budget_yen":
        parsed = parse_amount(value)
        return parsed.yen if parsed else None
    return normalize_text(str(value))


def entries_compare(first: dict, second: dict) -> dict[str, tuple]:
    """The fields on which two entries disagree (after normalisation): {field: (first, second)}."""
    differences = {}
    for name in FIELDS:
        try:
            a, b = _comparable(name, first.get(name)), _comparable(name, second.get(name))
        except DomainError:
            a, b = first.get(name), second.get(name)
        if a != b:
            differences[name] = (first.get(name), second.get(name))
    return differences


def _checked(fields: dict) -> dict:
    """Validate an entry with the import's parsers; the message names the field."""
    if not str(fields.get("title", "")).strip():
        raise DomainError(_("件名を入れてください。"), field="title")
    if not fields.get("kind"):
        raise DomainError(_("公募種別を選んでください。"), field="kind")
    try:
        kind = clean_kind(fields["kind"])  # the import's reading: a value, a label or a common short name
    except DomainError as exc:
        raise DomainError(exc.message, field="kind") from None
    clean = {"title": str(fields["title"]).strip(), "kind": kind, "department": str(fields.get("department", "")).strip()}
    for name in DATE_FIELDS:
        try:
            parsed = parse_date(fields.get(name)) if fields.get(name) else None
        except DomainError as exc:  # the parser's message names the value; say which field it was
            raise DomainError(exc.message, field=name) from None
        clean[name] = parsed.date.isoformat() if parsed else None
    if not clean["published_on"]:
        raise DomainError(_("公告日を入れてください。"), field="published_on")
    try:
        amount = parse_amount(fields.get("budget_yen")) if fields.get("budget_yen") not in (None, "") else None
    except DomainError as exc:
        raise DomainError(exc.message, field="budget_yen") from None
    clean["budget_yen"] = amount.yen if amount else None
    return clean


@transaction.atomic
def entry_submit(*, candidate: Candidate, by, fields: dict) -> Entry:
    """One person's entry; the same person can't be both entries of a double entry."""
    clean = _checked(fields)
    if candidate.entries.filter(entered_by=by).exists():
        raise DomainError(_("この候補はもう入力しています。二重入力はほかの人がします。"))
    entry = Entry.objects.create(candidate=candidate, entered_by=by, fields=clean)
    candidate.status = Candidate.Status.ENTERED
    candidate.save(update_fields=["status"])
    if candidate.gold:
        checked = {name: value for name, value in candidate.gold.items() if name in FIELDS}
        wrong = entries_compare(checked, {name: clean.get(name) for name in checked})
        GoldScore.objects.create(entry=entry, fields_total=len(checked), fields_right=len(checked) - len(wrong))
    return entry


def accuracy(user) -> tuple[int, int]:
    """(fields right, fields in all) over the person's entries of gold records: for them and coordinators only."""
    scores = GoldScore.objects.filter(entry__entered_by=user)
    return sum(s.fields_right for s in scores), sum(s.fields_total for s in scores)


@transaction.atomic
def candidate_publish(*, candidate: Candidate, by, fields: dict | None = None, double: bool = False,
                      corrects: Notice | None = None) -> Notice:
    """Publish the candidate as a notice. Single entry: the entry as it is, checked by `by` (another person). Double
    entry: the two entries must agree, or `fields` (the reviewer's choice) settles every disagreement."""
    if candidate.gold:  # a gold record measures accuracy; it is not a call to publish
        raise DomainError(_("確認用レコードは公開しません。"))
    entries = list(candidate.entries.order_by("created_at", "pk"))
    if not entries:
        raise DomainError(_("まだ入力がありません。"))
    if candidate.needs_double_entry and not double:
        raise DomainError(_("この候補は二重入力の対象です。二人目の入力を待ってください。"))
    if by.pk in {e.entered_by_id for e in entries} and not double:
        raise DomainError(_("確認は入力した人とは別の人がします。"))
    final = dict(entries[0].fields)
    if double:
        if len(entries) < 2:
            raise DomainError(_("二重入力の二人目がまだです。"))
        differences = entries_compare(entries[0].fields, entries[1].fields)
        if differences and not fields:
            raise DomainError(_("%(fields)s が食い違っています。確認する人が決めてください。") % {"fields": "・".join(differences)})
        if by.pk in {e.entered_by_id for e in entries} and differences:
            raise DomainError(_("食い違いを決めるのは、入力した二人とは別の人です。"))
    if fields:
        final.update(_checked({**final, **fields}))
    if corrects is not None:
        return _correct(corrects, final, candidate, entries, by)
    published_on = datetime.date.fromisoformat(final["published_on"])
    municipality = candidate.municipality
    notice = Notice.objects.create(
        municipality=municipality, title=final["title"], title_key=notice_title_key(final["title"]), kind=final["kind"],
        fingerprint=notice_fingerprint(lg_code=municipality.lg_code, title=final["title"], published_on=published_on),
        published_on=published_on, department=final.get("department", ""),
        application_deadline=final.get("application_deadline") and datetime.date.fromisoformat(final["application_deadline"]),
        submission_deadline=final.get("submission_deadline") and datetime.date.fromisoformat(final["submission_deadline"]),
        budget_yen=final.get("budget_yen"), source_url=candidate.url or (candidate.source.url if candidate.source else ""),
        created_by=entries[0].entered_by, source=f"collection:{candidate.source_id or 'paste'}")
    people = "、".join(str(e.entered_by) for e in entries)
    NoticeRevision.objects.create(notice=notice, kind=NoticeRevision.Kind.CREATED, changed_at=timezone.now(), changed_by=by,
                                  source=notice.source, note=_("入力：%(entered)s／確認：%(checked)s／スナップショット：%(snap)s")
                                  % {"entered": people, "checked": by, "snap": candidate.snapshot_id or "—"})
    return notice


def _correct(notice: Notice, final: dict, candidate: Candidate, entries: list[Entry], by) -> Notice:
    """A 訂正公告: the stored notice takes the corrected values; the revision says what changed, from which page."""
    if notice.municipality_id != candidate.municipality_id:
        raise DomainError(_("訂正できるのは同じ自治体の公募です。"), field="corrects")
    changes = {}
    for name in ("title", "kind", "department", "budget_yen", *sorted(DATE_FIELDS)):
        new = final.get(name)
        if name in DATE_FIELDS and new:
            new = datetime.date.fromisoformat(new)
        old = getattr(notice, name)
        if new not in (None, "") and new != old:
            changes[name] = [str(old) if old is not None else None, str(new)]
            setattr(notice, name, new)
    notice.title_key = notice_title_key(notice.title)
    notice.source_url = candidate.url or notice.source_url
    notice.save()
    people = "、".join(str(e.entered_by) for e in entries)
    NoticeRevision.objects.create(notice=notice, kind=NoticeRevision.Kind.CORRECTION, changed_at=timezone.now(), changed_by=by,
                                  source=f"collection:{candidate.source_id}", changes=changes,
                                  note=_("入力：%(entered)s／確認：%(checked)s／スナップショット：%(snap)s")
                                  % {"entered": people, "checked": by, "snap": candidate.snapshot_id or "—"})
    return notice


PASTE_COLUMNS = ["件名", "公募種別", "公告日", "参加申込締切", "提出期限", "上限額", "担当課", "URL"]
PASTE_FIELDS = ["title", "kind", "published_on", "application_deadline", "submission_deadline", "budget_yen", "department", "url"]


def paste_check(text: str) -> tuple[list[dict], list[tuple[int, str, str]]]:
    """Rows copied from Excel (tab-separated, in PASTE_COLUMNS order, a header row allowed): the rows read, and every
    problem as (row, column, message) — checked with the import's own parsers."""
    rows, problems = [], []
    lines = [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    if lines and lines[0].split("\t")[0].strip() == PASTE_COLUMNS[0]:
        lines = lines[1:]
    for number, line in enumerate(lines, start=1):
        cells = [cell.strip() for cell in line.split("\t")] + [""] * len(PASTE_COLUMNS)
        raw = dict(zip(PASTE_FIELDS, cells, strict=False))
        try:
            clean = _checked(raw)
            url = clean_url(raw["url"])
        except DomainError as exc:
            column = PASTE_COLUMNS[PASTE_FIELDS.index(exc.field)] if exc.field in PASTE_FIELDS else "URL"
            problems.append((number, column, exc.message))
            continue
        if not url:
            problems.append((number, "URL", _("出典のURL（http:// か https://）を入れてください。")))
            continue
        rows.append({**clean, "url": url})
    return rows, problems


@transaction.atomic
def paste_enter(*, municipality, by, rows: list[dict]) -> list[Candidate]:
    """Each pasted row becomes a candidate with this person's entry; checking and publishing follow as usual."""
    import hashlib

    created = []
    for row in rows:
        key = hashlib.sha256(row["url"].encode()).hexdigest()
        if Candidate.objects.filter(municipality=municipality, key=key).exists():
            continue
        candidate = Candidate.objects.create(
            municipality=municipality, url=row["url"], title=row["title"][:500], key=key, found_at=timezone.now(),
            fields={name: {"value": str(value), "evidence": _("貼り付け")} for name, value in row.items() if value not in (None, "")})
        Entry.objects.create(candidate=candidate, entered_by=by, fields={k: v for k, v in row.items() if k != "url"})
        candidate.status = Candidate.Status.ENTERED
        candidate.save(update_fields=["status"])
        created.append(candidate)
    return created
