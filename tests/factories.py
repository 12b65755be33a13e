"""Factories for tests. Municipalities come from the master loaded by the data migration."""

import datetime

import factory

from tsunagu.accounts.models import User
from tsunagu.municipalities.models import Municipality
from tsunagu.notices.identity import notice_fingerprint, notice_title_key
from tsunagu.notices.models import Award, Notice, NoticeKind, Organisation


def municipality(lg_code: str = "131016") -> Municipality:
    return Municipality.objects.select_related("prefecture").get(lg_code=lg_code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"利用者{n}")
    role = User.Role.MEMBER
    password = factory.django.Password("pass-word-123")


class NoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notice

    municipality = factory.LazyFunction(municipality)
    title = factory.Sequence(lambda n: f"子育て支援アプリ運用業務委託 その{n}")
    title_key = factory.LazyAttribute(lambda o: notice_title_key(o.title))
    kind = NoticeKind.PROPOSAL
    published_on = datetime.date(2025, 4, 1)
    fingerprint = factory.LazyAttribute(
        lambda o: notice_fingerprint(lg_code=o.municipality.lg_code, title=o.title, published_on=o.published_on)
    )


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"株式会社テスト{n}")
    normalized_name = factory.LazyAttribute(lambda o: o.name.casefold())


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award

    notice = factory.SubFactory(NoticeFactory)
    winner = factory.SubFactory(OrganisationFactory)
