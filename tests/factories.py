"""Factories for tests and benchmarks. Agencies are the seeded rows (migration orgs.0002)."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from govinfo.orgs.agencies import ensure_seed_agencies
from govinfo.orgs.credit_code import make_credit_code
from govinfo.orgs.models import Agency, Membership, Role, Unit

PASSWORD = "test-password-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.django.Password(PASSWORD)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"四川省测试厅{n}")
    short_name = factory.Sequence(lambda n: f"测试厅{n}")
    credit_code = factory.Sequence(lambda n: make_credit_code(f"11510000MB{n:07d}"))
    head = "张三"


def agency(code: str) -> Agency:
    """A seeded agency; transactional tests flush the seed rows, so re-create them when missing."""
    found = Agency.objects.filter(code=code).first()
    if found is None:
        ensure_seed_agencies(Agency, Group)
        found = Agency.objects.get(code=code)
    return found


def member(
    role: str, *, unit: Unit | None = None, agency_code: str | None = None, username: str | None = None
):
    """A user with one membership (signers also review, as in the demo data)."""
    kwargs = {"username": username} if username else {}
    user = UserFactory(**kwargs)
    where = agency(agency_code) if agency_code else None
    Membership.objects.create(user=user, role=role, unit=unit, agency=where)
    if role == Role.SIGNER:
        Membership.objects.create(user=user, role=Role.REVIEWER, agency=where)
    return user


def optional_agency() -> Agency:
    """A reviewing agency that is not required by default (a row an administrator added): NDRC may add it
    to a round (R-REV-1 "NDRC may add others"); it has no task until then."""
    found, _created = Agency.objects.get_or_create(
        code="stats",
        defaults={
            "name": "四川省统计局",
            "short_name": "省统计局",
            "doc_prefix": "川统审",
            "reviews_by_default": False,
        },
    )
    return found
