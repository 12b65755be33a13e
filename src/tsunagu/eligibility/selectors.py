"""「応募できそうな公募」: open calls checked against a profile, ranked by fit."""

import datetime
from dataclasses import dataclass

from django.db.models import F, Q

from tsunagu.notices.models import NoticeKind, NoticeStatus
from tsunagu.notices.selectors import notice_list

from .fit import NO, Fit, notice_fit
from .models import EligibilityProfile

# Nationwide, the soonest-closing calls are checked, at most this many: the fit is computed in Python.
NATIONWIDE_LIMIT = 3000
AREA_NEAR, AREA_ALL = "near", "all"


@dataclass
class FitList:
    fits: list[Fit]
    hidden: int  # calls that don't seem to fit, left out unless asked for
    checked: int
    capped: bool


def fitting_notices(*, profile: EligibilityProfile, today: datetime.date, kind: str = "", area: str = AREA_NEAR,
                    show_all: bool = False) -> FitList:
    """Open calls, each with why it fits or may not, best first (fits, then fewest 要確認, then soonest deadline).

    Near: calls of the profile's prefecture (its municipalities and the prefecture itself) and of the bodies it
    is registered with. All: every open call, the NATIONWIDE_LIMIT soonest-closing ones.
    """
    notices = notice_list().filter(current_status=NoticeStatus.OPEN)
    if kind in NoticeKind.values:
        notices = notices.filter(kind=kind)
    registrations = list(profile.registrations.all())
    if area != AREA_ALL:
        bodies = {r.body_id for r in registrations}
        notices = notices.filter(Q(municipality__prefecture_id=profile.municipality.prefecture_id)
                                 | Q(municipality_id__in=bodies))
    notices = notices.order_by(F("final_deadline").asc(nulls_last=True), "id")[: NATIONWIDE_LIMIT + 1]
    rows = list(notices)
    capped = len(rows) > NATIONWIDE_LIMIT
    fits = [notice_fit(n, profile, registrations, today=today) for n in rows[:NATIONWIDE_LIMIT]]
    fits.sort(key=Fit.rank)
    shown = fits if show_all else [f for f in fits if f.verdict != NO]
    return FitList(fits=shown, hidden=len(fits) - len(shown), checked=len(fits), capped=capped)
