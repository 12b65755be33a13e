"""Importing 落札結果 rows: find the notice, find or create the winning organisation, upsert the award."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.core.codes import normalize_corporate_number
from tsunagu.core.text import organisation_display_name, organisation_name_key
from tsunagu.municipalities.models import Municipality

from ..identity import notice_title_key
from ..models import Award, Notice, NoticeRevision, Organisation
from ..signals import notices_changed
from . import cells
from .columns import AWARD_COLUMNS
from .notice_rows import clean_municipality, jsonable, only_present_columns
from .pipeline import ImportResult, RowError, RowErrors, RowSpec
from tsunagu.core.spreadsheets import TableRow

C = {column.key: column for column in AWARD_COLUMNS}
SOURCE_COLUMN = {
    "amount_yen": "amount", "amount_tax_basis": "amount", "estimated_value_yen": "estimated_value",
    "estimated_value_tax_basis": "estimated_value", "bidders": "bidders", "awarded_on": "awarded_on",
    "score": "score", "notes": "notes",
}  # fmt: skip

@dataclass
class AwardRow:
    row: int
    municipality: Municipality
    external_id: str
    title_key: str
    published_on: datetime.date | None
    winner_name: str
    winner_key: str
    corporate_number: str | None
    values: dict[str, Any]


class AwardRowSpec(RowSpec):
    columns = AWARD_COLUMNS
    preferred_sheet = "落札結果"

    def clean(self, row: TableRow, raw: dict[str, Any]) -> tuple[AwardRow | None, RowErrors]:
        errors = RowErrors(row.number)
        municipality = clean_municipality(self.directory, raw, errors)
        external_id = errors.check(C["external_id"], lambda: cells.clean_external_id(raw.get("external_id")))
        published = errors.check(C["published_on"], lambda: cells.clean_date(raw.get("published_on")))
        title = cells.clean_text(raw.get("title"))
        if not external_id and not title:
            errors.add(C["title"], _("公募を探すために、管理IDか案件名のどちらかを書いてください。"))
        # The limit applies to the stored form (㈱ becomes 株式会社).
        winner = errors.check(C["winner"], lambda: organisation_display_name(cells.clean_text(raw.get("winner")))[:301])
        if winner and len(winner) > 300:
            errors.add(C["winner"], _("落札者が長すぎます（上限 300文字）。"))
        if not winner and not any(e.column == C["winner"].header for e in errors.items):
            errors.add(C["winner"], _("必須です。落札者の名称を書いてください。"))
        corporate_number = None
        if cells.text_of(raw.get("corporate_number")):
            corporate_number = errors.check(C["corporate_number"], lambda: normalize_corporate_number(cells.text_of(raw.get("corporate_number"))))
        amount, _text = errors.check(C["amount"], lambda: cells.clean_amount(raw.get("amount"))) or (None, "")
        estimate, _text = errors.check(C["estimated_value"], lambda: cells.clean_amount(raw.get("estimated_value"))) or (None, "")
        if estimate is not None and estimate.yen == 0:
            errors.add(C["estimated_value"], _("予定価格は0より大きい金額にしてください。"))
        tax_column = errors.check(C["tax_basis"], lambda: cells.clean_tax_basis(raw.get("tax_basis")))
        amount_basis = errors.check(C["amount"], lambda: cells.resolve_tax_basis(amount, tax_column, C["amount"].header))
        estimate_basis = errors.check(
            C["estimated_value"], lambda: cells.resolve_tax_basis(estimate, tax_column, C["estimated_value"].header)
        )
        awarded = errors.check(C["awarded_on"], lambda: cells.clean_date(raw.get("awarded_on")))
        values = {
            "amount_yen": amount.yen if amount else None,
            "amount_tax_basis": amount_basis,
            "estimated_value_yen": estimate.yen if estimate else None,
            "estimated_value_tax_basis": estimate_basis,
            "bidders": errors.check(C["bidders"], lambda: cells.clean_positive_int(raw.get("bidders"), label="応札者数")),
            "awarded_on": awarded.date if awarded else None,
            "score": errors.check(C["score"], lambda: cells.clean_score(raw.get("score"))),
            "notes": cells.clean_text(raw.get("notes")),
        }
        if errors:
            return None, errors
        return AwardRow(row.number, municipality, external_id, notice_title_key(title) if title else "",
                        published.date if published else None, winner, organisation_name_key(winner), corporate_number,
                        only_present_columns(values, raw, SOURCE_COLUMN)), errors

    # -- finding what already exists, one query per kind per batch --

    def _notices(self, batch: list[AwardRow]) -> tuple[dict, dict]:
        municipality_ids = {r.municipality.id for r in batch}
        by_external: dict[tuple[int, str], Notice] = {}
        external_ids = {r.external_id for r in batch if r.external_id}
        if external_ids:
            for notice in Notice.objects.filter(municipality_id__in=municipality_ids, external_id__in=external_ids).exclude(external_id="").order_by():
                by_external[(notice.municipality_id, notice.external_id)] = notice
        by_title: dict[tuple[int, str], list[Notice]] = {}
        title_keys = {r.title_key for r in batch if r.title_key}
        if title_keys:
            for notice in Notice.objects.filter(municipality_id__in=municipality_ids, title_key__in=title_keys).order_by():
                by_title.setdefault((notice.municipality_id, notice.title_key), []).append(notice)
        return by_external, by_title

    def _find_notice(self, row: AwardRow, by_external: dict, by_title: dict) -> Notice | RowError:
        if row.external_id:
            notice = by_external.get((row.municipality.id, row.external_id))
            if notice is not None:
                return notice
            if not row.title_key:
                return RowError(row.row, C["external_id"].header, _("管理ID「%(id)s」の公募が%(m)sに見つかりません。先に公募情報を取り込んでください。")
                                % {"id": row.external_id, "m": row.municipality.full_name})
        candidates = by_title.get((row.municipality.id, row.title_key), [])
        if row.published_on is not None:
            candidates = [n for n in candidates if n.published_on == row.published_on]
        awarded_on: datetime.date | None = row.values.get("awarded_on")
        if awarded_on and len(candidates) > 1:
            # The same call repeats every year: the result belongs to the latest one published before it.
            before = [n for n in candidates if n.published_on <= awarded_on]
            if before:
                latest = max(n.published_on for n in before)
                candidates = [n for n in before if n.published_on == latest]
        if len(candidates) > 1 and not row.external_id:
            # As for notices: a row without 管理ID describes the notice without one.
            candidates = [n for n in candidates if not n.external_id] or candidates
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            return RowError(row.row, C["title"].header, _("案件名の公募が%(m)sに見つかりません。管理IDを書くか、先に公募情報を取り込んでください。")
                            % {"m": row.municipality.full_name})
        dates = "、".join(sorted(n.published_on.isoformat() for n in candidates))
        return RowError(row.row, C["title"].header, _("同じ案件名の公募が複数あります（公告日 %(dates)s）。管理IDか決定日を書いてください。") % {"dates": dates})

    def _organisations(self, batch: list[AwardRow]) -> tuple[dict, dict]:
        numbers = {r.corporate_number for r in batch if r.corporate_number}
        keys = {r.winner_key for r in batch}
        by_number: dict[str, Organisation] = {}
        by_key: dict[str, list[Organisation]] = {}
        query = Organisation.objects.filter(normalized_name__in=keys)
        if numbers:
            query = query | Organisation.objects.filter(corporate_number__in=numbers)
        for org in query:
            if org.corporate_number:
                by_number[org.corporate_number] = org
            by_key.setdefault(org.normalized_name, []).append(org)
        return by_number, by_key

    def _find_organisation(self, row: AwardRow, by_number: dict, by_key: dict, adopted: list) -> Organisation | RowError:
        named = by_key.get(row.winner_key, [])
        if row.corporate_number:
            org = by_number.get(row.corporate_number)
            if org is None:
                unnumbered = [o for o in named if not o.corporate_number]
                if unnumbered:  # known by name so far: now we learn its 法人番号
                    org = unnumbered[0]
                    org.corporate_number = row.corporate_number
                    adopted.append(org)
                else:
                    org = Organisation(name=row.winner_name, normalized_name=row.winner_key, corporate_number=row.corporate_number,
                                       created_by=self.user, source=self.source, import_run=self.import_run)
                by_number[row.corporate_number] = org
                by_key.setdefault(row.winner_key, []).append(org)
            return org
        if len(named) > 1:
            return RowError(row.row, C["winner"].header,
                            _("「%(name)s」という事業者が複数あります。法人番号を書いてください。") % {"name": row.winner_name})
        if named:
            return named[0]
        org = Organisation(name=row.winner_name, normalized_name=row.winner_key, created_by=self.user,
                           source=self.source, import_run=self.import_run)
        by_key[row.winner_key] = [org]
        return org

    def write(self, batch: list[AwardRow], *, dry_run: bool, result: ImportResult) -> list[RowError]:
        by_external, by_title = self._notices(batch)
        by_number, by_key = self._organisations(batch)
        rejections: list[RowError] = []
        matched: list[tuple[AwardRow, Notice, Organisation]] = []
        adopted: list[Organisation] = []
        for row in batch:
            notice = self._find_notice(row, by_external, by_title)
            org = self._find_organisation(row, by_number, by_key, adopted) if not isinstance(notice, RowError) else None
            problem = notice if isinstance(notice, RowError) else org if isinstance(org, RowError) else None
            if problem:
                rejections.append(problem)
                continue
            matched.append((row, notice, org))
        new_orgs = {id(o): o for _r, _n, o in matched if o.pk is None}
        if not dry_run:
            Organisation.objects.bulk_create(list(new_orgs.values()))
            if adopted:
                Organisation.objects.bulk_update(adopted, ["corporate_number"])
        existing = {}
        known = [(n.pk, o.pk) for _r, n, o in matched if o.pk is not None]
        if known:
            query = Award.objects.filter(notice_id__in={n for n, _o in known}, winner_id__in={o for _n, o in known})
            existing = {(a.notice_id, a.winner_id): a for a in query}
        now = timezone.now()
        # One key per (notice, winning organisation) as resolved, so ㈱X and X with its 法人番号 are one winner.
        earlier_rows = self.seen.earlier_rows(
            [(("award", n.pk, o.pk if o.pk is not None else o.corporate_number or o.normalized_name), r.row)
             for r, n, o in matched]
        )
        to_create, to_update, revisions, update_fields = [], [], [], set()
        for row, notice, org in matched:
            identity = (notice.pk, org.pk if org.pk is not None else id(org))
            earlier = earlier_rows.get(row.row)
            if earlier is not None:
                rejections.append(RowError(row.row, C["winner"].header,
                                           _("%(row)d行目と同じ落札結果です（同じファイルに2回あります）。") % {"row": earlier}))
                continue
            award = existing.get(identity)
            label = f"落札結果（{org.name}）"
            if award is None:
                result.created += 1
                to_create.append(Award(notice=notice, winner=org, created_by=self.user, source=self.source,
                                       import_run=self.import_run, **row.values))
                revisions.append(NoticeRevision(notice=notice, kind=NoticeRevision.Kind.UPDATED, changed_at=now, changed_by=self.user,
                                                import_run=self.import_run, source=self.source, note=label,
                                                changes={f"{label}.{f}": [None, jsonable(v)] for f, v in row.values.items() if v not in (None, "")}))
                continue
            changes = {f: [jsonable(getattr(award, f)), jsonable(v)] for f, v in row.values.items() if getattr(award, f) != v}
            if not changes:
                result.unchanged += 1
                continue
            result.updated += 1
            for field, value in row.values.items():
                setattr(award, field, value)
            award.updated_at = now
            update_fields.update(changes, {"updated_at"})
            to_update.append(award)
            revisions.append(NoticeRevision(notice=notice, kind=NoticeRevision.Kind.UPDATED, changed_at=now, changed_by=self.user,
                                            import_run=self.import_run, source=self.source, note=label,
                                            changes={f"{label}.{f}": v for f, v in changes.items()}))
        if not dry_run:
            Award.objects.bulk_create(to_create)
            if to_update:
                Award.objects.bulk_update(to_update, sorted(update_fields))
            NoticeRevision.objects.bulk_create(revisions)
            # A result changes its notice's status (結果公表), which the search index filters and counts on.
            notices_changed.send(sender=Notice, ids=sorted({a.notice_id for a in (*to_create, *to_update)}))
        return rejections
