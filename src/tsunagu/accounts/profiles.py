"""Profiles: what the team sees of a person (face, name, introduction, skills, hours). Writes check the windows and
the weekly cap, and store photos resized and stripped of their metadata (location, camera, date)."""

import datetime
import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from tsunagu.core.errors import DomainError

from .models import AvailabilityWindow, Profile, User

PHOTO_SIZE = 400  # pixels on the longer side
PHOTO_MAX_BYTES = 10 * 1024 * 1024
WEEKDAYS = dict(AvailabilityWindow.Weekday.choices)


@dataclass(frozen=True)
class Window:
    weekday: int
    starts_at: datetime.time
    ends_at: datetime.time

    @property
    def hours(self) -> float:
        return ((self.ends_at.hour * 60 + self.ends_at.minute) - (self.starts_at.hour * 60 + self.starts_at.minute)) / 60


def check_windows(windows: list[Window], weekly_hour_cap: int) -> None:
    """Inverted or overlapping windows, and a cap above the hours the windows hold, are refused with the window named."""
    for number, window in enumerate(windows, start=1):
        if window.starts_at >= window.ends_at:
            raise DomainError(_("%(n)s行目（%(day)s）：終わりが始まりより前です。") % {"n": number, "day": WEEKDAYS[window.weekday]},
                              field="windows")
    by_day: dict[int, list[tuple[int, Window]]] = {}
    for number, window in enumerate(windows, start=1):
        by_day.setdefault(window.weekday, []).append((number, window))
    for day_windows in by_day.values():
        day_windows.sort(key=lambda item: item[1].starts_at)
        for (first_n, first), (second_n, second) in zip(day_windows, day_windows[1:], strict=False):
            if second.starts_at < first.ends_at:
                raise DomainError(_("%(a)s行目と%(b)s行目（%(day)s）の時間帯が重なっています。")
                                  % {"a": first_n, "b": second_n, "day": WEEKDAYS[first.weekday]}, field="windows")
    total = sum(w.hours for w in windows)
    if windows and weekly_hour_cap > total:
        raise DomainError(_("週の上限（%(cap)s時間）が作業できる時間帯の合計（%(total).1f時間）を超えています。")
                          % {"cap": weekly_hour_cap, "total": total}, field="weekly_hour_cap")


def parse_windows(text: str) -> list[Window]:
    """One window per line: `月 9:30-14:00` (曜日 in Japanese or mon..sun, times as H:MM)."""
    days = {label: value for value, label in AvailabilityWindow.Weekday.choices}
    days |= {name: n for n, name in enumerate(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])}
    windows = []
    for number, line in enumerate((raw.strip() for raw in text.splitlines()), start=1):
        if not line:
            continue
        try:
            day, span = line.replace("　", " ").split(None, 1)
            start, end = (part.strip() for part in span.replace("〜", "-").replace("～", "-").split("-"))
            windows.append(Window(days[day.strip().lower().removesuffix("曜日").removesuffix("曜")], _time(start), _time(end)))
        except (ValueError, KeyError):
            raise DomainError(_("%(n)s行目「%(line)s」を読めません。「月 9:30-14:00」のように書いてください。")
                              % {"n": number, "line": line}, field="windows") from None
    return windows


def _time(text: str) -> datetime.time:
    hour, _sep, minute = text.partition(":")
    return datetime.time(int(hour), int(minute or 0))


def _photo(upload) -> ContentFile:
    if upload.size > PHOTO_MAX_BYTES:
        raise DomainError(_("写真は10MBまでにしてください。"), field="photo")
    try:
        image = Image.open(upload)
        image.load()
    except (UnidentifiedImageError, OSError):
        raise DomainError(_("写真として読めないファイルです（JPEG か PNG を選んでください）。"), field="photo") from None
    image = ImageOps.exif_transpose(image).convert("RGB")  # turn as the camera meant, then drop every tag
    image.thumbnail((PHOTO_SIZE, PHOTO_SIZE))
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85)
    return ContentFile(out.getvalue())


@transaction.atomic
def profile_update(*, user: User, display_name: str, introduction: str, region: str, weekly_hour_cap: int,
                   windows: list[Window], photo=None, phone: str | None = None) -> Profile:
    """Replace the person's profile and weekly windows (all or nothing)."""
    if not 0 < weekly_hour_cap <= 80:
        raise DomainError(_("週の上限は1〜80時間にしてください。"), field="weekly_hour_cap")
    check_windows(windows, weekly_hour_cap)
    profile, _created = Profile.objects.get_or_create(user=user)
    if photo is not None:
        content = _photo(photo)
        profile.photo.save(f"{user.pk}.jpg", content, save=False)
    profile.introduction, profile.region, profile.weekly_hour_cap = introduction, region, weekly_hour_cap
    if phone is not None:
        profile.phone = phone
    profile.save()
    user.display_name = display_name
    user.save(update_fields=["display_name"])
    AvailabilityWindow.objects.filter(user=user).delete()
    AvailabilityWindow.objects.bulk_create([AvailabilityWindow(user=user, weekday=w.weekday, starts_at=w.starts_at,
                                                               ends_at=w.ends_at) for w in windows])
    return profile


def windows_text(user: User) -> str:
    return "\n".join(f"{w.get_weekday_display()} {w.starts_at:%H:%M}-{w.ends_at:%H:%M}"
                     for w in AvailabilityWindow.objects.filter(user=user))


def note_organisations(viewer, person: User) -> list:
    """The organisations whose notes about the person this viewer reads and writes: those the viewer coordinates
    and the person belongs to. Never the person's own."""
    from .models import Membership, Organisation

    if not viewer.is_authenticated or viewer.pk == person.pk:
        return []
    coordinated = Membership.objects.filter(user=viewer, role=Membership.Role.COORDINATOR).values("organisation")
    return list(Organisation.objects.filter(pk__in=coordinated, memberships__user=person).distinct().order_by("name"))


@transaction.atomic
def skills_set(*, user: User, levels: dict[int, int]) -> None:
    """The person's skills with their levels (skill id → level 1..3; 0 or absent: not held)."""
    from .models import Skill, WorkerSkill

    known = set(Skill.objects.filter(pk__in=levels).values_list("pk", flat=True))
    if set(levels) - known:
        raise DomainError(_("一覧にないスキルが含まれています。"), field="skills")
    WorkerSkill.objects.filter(user=user).exclude(skill_id__in=[k for k, v in levels.items() if v]).delete()
    for skill_id, level in levels.items():
        if level:
            WorkerSkill.objects.update_or_create(user=user, skill_id=skill_id, defaults={"level": level})


def private_note_set(*, viewer, person: User, organisation, text: str):
    from .models import PrivateNote

    if organisation not in note_organisations(viewer, person):
        raise DomainError(_("このメモを書けるのは、その人の団体のコーディネーターだけです。"))
    note, _created = PrivateNote.objects.update_or_create(organisation=organisation, person=person, defaults={"text": text})
    return note


@transaction.atomic
def skill_add(*, by, name: str, description: str = ""):
    """Coordinators maintain the taxonomy (データ入力, Web調査, 表計算, 執筆, デザイン, 翻訳, 経理, ...)."""
    from .models import Membership, Skill

    if not (by.is_superuser or Membership.objects.filter(user=by, role=Membership.Role.COORDINATOR).exists()):
        raise DomainError(_("スキルの一覧を直せるのはコーディネーターだけです。"))
    name = name.strip()
    if not name:
        raise DomainError(_("スキルの名前を書いてください。"), field="name")
    if Skill.objects.filter(name__iexact=name).exists():
        raise DomainError(_("「%(name)s」はもう一覧にあります。") % {"name": name}, field="name")
    return Skill.objects.create(name=name, description=description.strip())
