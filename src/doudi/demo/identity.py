"""Synthetic identities: resident IDs, names, phone numbers, bank accounts and addresses.

Everything draws from the ``random.Random`` and ``Faker`` instances passed in, so a seed gives the same people.
"""

from __future__ import annotations

import datetime as dt
import random
from functools import cache

from faker import Faker
from stdnum.cn import ric

# Area codes (first 6 digits) a resident of each demo county may carry, newest first. An ID keeps the code of the
# place and time it was first issued, so older residents carry codes of the pre-2001 呼伦贝尔盟 (stdnum knows the
# years each code existed and rejects a code used outside them).
COUNTY_AREA_CODES: dict[str, tuple[str, ...]] = {
    "150702": ("150702", "152101"),  # 海拉尔区 [2001-], 海拉尔市 [-2001]
    "150783": ("150783", "152103", "152121"),  # 扎兰屯市 [2001-], [1983-2001], 布特哈旗 [-1983]
}
# Places people moved in from (and where supporters living elsewhere were registered).
OTHER_AREA_CODES: tuple[str, ...] = (
    "150102",  # 呼和浩特市新城区
    "152201",  # 乌兰浩特市
    "150781",  # 满洲里市
    "152102",  # 满洲里市 (呼伦贝尔盟)
    "150782",  # 牙克石市
    "152104",  # 牙克石市 (呼伦贝尔盟)
    "230102",  # 哈尔滨市道里区
    "220102",  # 长春市南关区
    "210102",  # 沈阳市和平区
    "152122",  # 阿荣旗 (呼伦贝尔盟)
    "150721",  # 阿荣旗
)


@cache
def area_valid_in(area: str, year: int) -> bool:
    """Whether stdnum accepts ``area`` for someone born in ``year`` (stdnum has raised KeyError on odd codes)."""
    probe = f"{area}{year:04d}0101001"
    probe += ric.calc_check_digit(probe + "0")
    try:
        return ric.is_valid(probe)
    except (KeyError, ValueError):
        return False


class ResidentIdFactory:
    """Hands out unique, stdnum-valid 18-digit resident IDs whose birth date and sex digit match the person."""

    def __init__(self, rng: random.Random, used: set[str] | None = None):
        self.rng = rng
        self.used: set[str] = used if used is not None else set()

    def _areas(self, county: str | None, year: int) -> list[str]:
        if county is not None and self.rng.random() < 0.9:
            local = [a for a in COUNTY_AREA_CODES.get(county, ()) if area_valid_in(a, year)]
            if local:
                return local[:1]
        others = [a for a in OTHER_AREA_CODES if area_valid_in(a, year)]
        self.rng.shuffle(others)
        return others

    def make(self, *, birth_date: dt.date, sex: str, county: str | None = None) -> str:
        year = birth_date.year
        for area in self._areas(county, year) + list(COUNTY_AREA_CODES["150702"]):
            if not area_valid_in(area, year):
                continue
            for _ in range(50):
                # 3-digit sequence; its last digit is odd for men and even for women (GB 11643-1999).
                parity = (1, 3, 5, 7, 9) if sex == "M" else (0, 2, 4, 6, 8)
                seq = self.rng.randrange(0, 100) * 10 + self.rng.choice(parity)
                body = f"{area}{birth_date:%Y%m%d}{seq:03d}"
                number = body + ric.calc_check_digit(body + "0")
                if number not in self.used:
                    self.used.add(number)
                    return number
        raise RuntimeError("could not find a free resident ID")  # pragma: no cover - 1000 sequences per area and day


def person_name(fake: Faker, sex: str, surname: str | None = None) -> str:
    given = fake.first_name_male() if sex == "M" else fake.first_name_female()
    return (surname or fake.last_name()) + given


def surname_of(name: str) -> str:
    # Two-character surnames in Faker zh_CN are few; the common ones are handled, the rest take the first character.
    for compound in ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒"):
        if name.startswith(compound):
            return compound
    return name[:1]


_MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "156",
    "157",
    "158",
    "159",
    "176",
    "177",
    "180",
    "181",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
)


def mobile(rng: random.Random) -> str:
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


# (bank, card BIN) — social-assistance payments go to a debit card; rural households mostly bank with the
# 农村信用社/农商行 or 农业银行, which run the village-level payment points.
_BANKS_RURAL = (("内蒙古农村信用社", "622947"), ("中国农业银行", "622848"), ("中国邮政储蓄银行", "621799"))
_BANKS_URBAN = (
    ("中国工商银行", "622202"),
    ("中国建设银行", "621700"),
    ("中国农业银行", "622848"),
    ("中国银行", "621661"),
    ("中国邮政储蓄银行", "621799"),
    ("内蒙古银行", "622147"),
)


def _luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def bank_account(rng: random.Random, *, urban: bool) -> tuple[str, str]:
    bank, bin_ = rng.choice(_BANKS_URBAN if urban else _BANKS_RURAL)
    body = bin_ + "".join(str(rng.randrange(10)) for _ in range(18 - len(bin_)))
    return bank, body + _luhn_digit(body)


_ESTATES = ("阳光小区", "河畔家园", "东山花园", "幸福里", "和谐家园", "铁路小区", "电业小区", "新城佳苑", "北苑小区")


def address(rng: random.Random, *, county: str, township: str, village: str, urban: bool) -> str:
    if urban:
        return (
            f"{county}{township}{village}{rng.choice(_ESTATES)}{rng.randint(1, 32)}号楼"
            f"{rng.randint(1, 6)}单元{rng.randint(1, 7)}0{rng.randint(1, 4)}室"
        )
    return f"{county}{township}{village}{rng.randint(1, 9)}组{rng.randint(1, 120)}号"
