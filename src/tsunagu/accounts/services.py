"""Writes of accounts."""

from dataclasses import dataclass

from django.db import transaction

from .models import User

DEMO_PASSWORD = "tsunagu-demo"  # the documented password of the local demo; refused unless DEBUG


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    display_name: str
    is_staff: bool = False
    is_superuser: bool = False


DEMO_USERS = (
    DemoUser("coordinator", User.Role.COORDINATOR, "山田 花子（コーディネーター）"),
    DemoUser("owner", User.Role.OWNER, "佐藤 一郎（発注者）"),
    DemoUser("worker", User.Role.WORKER, "鈴木 美咲（ワーカー）"),
    DemoUser("worker2", User.Role.WORKER, "高橋 由衣（ワーカー）"),
    DemoUser("admin", User.Role.MEMBER, "管理者", is_staff=True, is_superuser=True),
)


@transaction.atomic
def demo_users_ensure() -> list[tuple[User, bool]]:
    """Create the demo accounts, or reset an existing one's role, name, flags and password to the documented ones.

    Precondition: the caller checked that this is a local demo (DEBUG). Returns (user, created) pairs.
    """
    results = []
    for spec in DEMO_USERS:
        user, created = User.objects.get_or_create(username=spec.username)
        user.role = spec.role
        user.display_name = spec.display_name
        user.email = user.email or f"{spec.username}@example.jp"
        user.is_staff = spec.is_staff
        user.is_superuser = spec.is_superuser
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        results.append((user, created))
    return results
