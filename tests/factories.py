"""Small factories shared by the test suite. IDs are built with a valid check digit, never hard-coded."""

from __future__ import annotations

import datetime as dt
import itertools

from stdnum.cn import ric

from doudi.accounts.models import RegionGrant, User
from doudi.regions.models import Region
from doudi.registry.models import Household, Membership, Person

_seq = itertools.count(1)


def make_id(birth: dt.date = dt.date(1980, 5, 17), sex: str = "M", area: str = "110101") -> str:
    """A valid 18-digit resident ID for ``birth``/``sex`` (area 110101 has existed since 1980s)."""
    n = next(_seq) % 500
    order = n * 2 + (1 if sex == "M" else 0)
    body = f"{area}{birth:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


def bad_check_digit(id_number: str) -> str:
    last = id_number[-1]
    return id_number[:-1] + ("0" if last != "0" else "1")


def region(code: str, name: str, level: str, parent: Region | None = None, area_type: str = "rural") -> Region:
    obj, _ = Region.objects.update_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent, "area_type": area_type}
    )
    return obj


def user(username: str, *grants: tuple[Region, str], **fields) -> User:
    u = User.objects.create_user(username=username, password="test-pass-123", **fields)
    for reg, role in grants:
        RegionGrant.objects.create(user=u, region=reg, role=role)
    return u


def partner(actor: User) -> User:
    """A second member of ``actor``'s team (same grants): the other investigator, the checker of a maker-checker
    step. One per actor, made on first use."""
    existing = User.objects.filter(username=f"{actor.username}-partner").first()
    if existing is not None:
        return existing
    return user(f"{actor.username}-partner", *[(g.region, g.role) for g in actor.grants.select_related("region")],
                display_name=f"{actor}的同事")


def investigate_signed(actor: User, case, *, visited_on, **kw):
    """An investigation by ``actor`` and their partner, both signed (S1 Art 16)."""
    from doudi.cases import services

    other = partner(actor)
    inv = services.investigation_record(actor=actor, case=case, visited_on=visited_on,
                                        investigators=[actor.pk, other.pk], **kw)
    services.investigation_sign(actor=other, investigation=inv)
    return inv


def adjustment_decided(maker: User, decider: User, case, *, day: dt.date):
    """An adjustment case (e.g. the 渐退 a review proposed) taken by ``maker`` through the signed investigation and
    the township review, and approved by ``decider`` (a second person) on ``day``; returns the case."""
    from doudi.cases import services
    from doudi.cases.choices import State

    case = services.case_transition(actor=maker, case=case, to_state=State.INVESTIGATING, today=day)
    investigate_signed(maker, case, visited_on=day, kind="home_visit", family_signed=True)
    case = services.case_transition(actor=maker, case=case, to_state=State.TOWNSHIP_REVIEWED, today=day)
    return services.case_transition(actor=decider, case=case, to_state=State.DECIDED_APPROVED, today=day)


def top_up_confirmed(actor: User, fund, amount_fen: int, note: str = ""):
    """A reserve-fund top-up entered by ``actor`` and confirmed by their partner; returns the movement."""
    from doudi.temporary import services

    row = services.fund_top_up(actor=actor, fund=fund, amount_fen=amount_fen, note=note)
    return services.fund_top_up_confirm(actor=partner(actor), top_up=row)


def household(village: Region, *, number: str | None = None, members: int = 1, start=dt.date(2020, 1, 1)) -> Household:
    h = Household.objects.create(
        number=number or f"{village.code}{next(_seq):06d}",
        region=village,
        address="测试路1号",
        area_type=village.area_type,
    )
    for i in range(members):
        birth = dt.date(1960 + i * 10, 3, 1 + i)
        p = Person.objects.create(
            id_number=make_id(birth, "M" if i % 2 == 0 else "F"),
            name=f"测试{i}",
            sex="M" if i % 2 == 0 else "F",
            birth_date=birth,
        )
        Membership.objects.create(household=h, person=p, relationship="head" if i == 0 else "child", valid_from=start)
    return h
