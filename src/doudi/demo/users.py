"""One demo login per role, each with the region grants that role has in real use."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from doudi.accounts.choices import Department, Role
from doudi.accounts.models import RegionGrant, User
from doudi.demo.economy import COUNTABLE
from doudi.demo.regions import CITY_CODE, COUNTY_A, TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A
from doudi.registry.choices import Relationship
from doudi.registry.models import Income, Membership, Person

DEMO_PASSWORD = "doudi-demo"  # noqa: S105 - a published demo password, only for the demo data dir


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    label: str  # what the login is for, Chinese / English
    role: str | None  # None: applicant, who acts through User.person and no region grant
    region: str | None
    department: str = Department.CIVIL_AFFAIRS
    superuser: bool = False


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("applicant", "申请人（团结村村民）", "申请人 / Applicant", None, None),
    DemoUser("village", "团结村协理员", "村协理员 / Village assistant", Role.VILLAGE_ASSISTANT, VILLAGE_A),
    DemoUser("township", "奋斗镇经办员", "乡镇经办人 / Township caseworker", Role.TOWNSHIP_CASEWORKER, TOWNSHIP_A),
    DemoUser("township2", "正阳街道经办员", "另一街道经办人 / Other township", Role.TOWNSHIP_CASEWORKER, TOWNSHIP_B),
    DemoUser("county", "海拉尔区民政局", "区县民政 / County civil affairs", Role.CIVIL_AFFAIRS, COUNTY_A),
    DemoUser("city", "呼伦贝尔市民政局", "市民政 / City civil affairs", Role.CIVIL_AFFAIRS, CITY_CODE),
    # Second persons of each office (maker-checker): the other investigator, who confirms an advance or a top-up,
    # who reviews or approves a payroll someone else made.
    DemoUser("township_b", "奋斗镇经办员（刘秀英）", "乡镇第二经办人 / Second township caseworker",
             Role.TOWNSHIP_CASEWORKER, TOWNSHIP_A),
    DemoUser("township2_b", "正阳街道经办员（孙丽娟）", "另一街道第二经办人 / Second caseworker, other township",
             Role.TOWNSHIP_CASEWORKER, TOWNSHIP_B),
    DemoUser("county_b", "海拉尔区民政局（周雪梅）", "区县民政复核人 / County checker", Role.CIVIL_AFFAIRS, COUNTY_A),
    DemoUser("city_b", "呼伦贝尔市民政局（审批）", "市民政审批人 / City approver", Role.CIVIL_AFFAIRS, CITY_CODE),
    DemoUser(
        "medical",
        "呼伦贝尔市医保局",
        "医保部门 / Medical security",
        Role.DEPARTMENT,
        CITY_CODE,
        department=Department.MEDICAL_SECURITY,
    ),
    DemoUser(
        "auditor", "呼伦贝尔市审计局", "审计监督（只读）/ Auditor", Role.AUDITOR, CITY_CODE, department=Department.AUDIT
    ),
    DemoUser("admin", "系统管理员", "系统管理员 / Administrator", Role.ADMINISTRATOR, CITY_CODE, superuser=True),
)


def pick_applicant_person() -> Person | None:
    """The head of a low-income household in the demo village: someone who would plausibly apply for 低保."""
    heads = (
        Membership.objects.filter(household__region_id=VILLAGE_A, relationship=Relationship.HEAD, valid_to__isnull=True)
        .select_related("person")
        .order_by("household__number")
    )
    fallback = None
    for membership in heads:
        fallback = fallback or membership.person
        members = list(
            Membership.objects.filter(household_id=membership.household_id, valid_to__isnull=True).values_list(
                "person_id", flat=True
            )
        )
        income = sum(
            Income.objects.filter(person_id__in=members, kind__in=COUNTABLE, valid_to__isnull=True).values_list(
                "monthly_fen", flat=True
            )
        )
        if len(members) >= 2 and income < 70_000 * len(members):
            return membership.person
    return fallback


@transaction.atomic
def create_demo_users(password: str = DEMO_PASSWORD) -> list[User]:
    """Create or reset the demo logins; grants are made exactly as listed in DEMO_USERS. Idempotent."""
    users = []
    for spec in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=spec.username)
        user.display_name = spec.display_name
        user.department = spec.department
        user.is_staff = user.is_superuser = spec.superuser
        user.is_active = True
        user.region_id = spec.region  # the account's area: who may manage it (accounts.authority)
        user.set_password(password)
        if spec.role is None:
            person = pick_applicant_person()
            # Another user may already hold this person (OneToOne); keep theirs and leave the applicant unlinked.
            if person is not None and not User.objects.filter(person=person).exclude(pk=user.pk).exists():
                user.person = person
        user.save()
        user.grants.all().delete()
        if spec.role is not None:
            RegionGrant.objects.create(user=user, region_id=spec.region, role=spec.role)
        users.append(user)
    return users
