"""The demo jurisdiction tree: 内蒙古自治区 → 呼伦贝尔市 → two counties → four townships → twelve villages.

Codes follow the statistical division code scheme (统计用区划代码): 6-digit county + 3-digit township + 3-digit
village. Street offices (街道) take township parts 001–099, towns (镇) 100–199; residents' committees (社区) take
village parts 001–199 and villagers' committees (村) 200–399, as in the published tables. The county codes are real
(stdnum's area table knows them, so resident IDs issued there validate); township and village names are plausible
but not guaranteed to match the current official list.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from doudi.regions.choices import AreaType, Level
from doudi.regions.models import Region

PROVINCE_CODE = "150000000000"
CITY_CODE = "150700000000"
CITY_PROFILE = "hulunbuir"


@dataclass(frozen=True)
class DemoRegion:
    code: str
    name: str
    level: str
    area_type: str = AreaType.RURAL
    profile: str = ""
    # Relative number of households generated here (villages only).
    weight: int = 0


U, R = AreaType.URBAN, AreaType.RURAL

# Parents before children: build_demo_regions() creates them in this order.
DEMO_REGIONS: tuple[DemoRegion, ...] = (
    DemoRegion(PROVINCE_CODE, "内蒙古自治区", Level.PROVINCE, U),
    DemoRegion(CITY_CODE, "呼伦贝尔市", Level.CITY, U, profile=CITY_PROFILE),
    # 海拉尔区: the city's urban core, with one suburban town.
    DemoRegion("150702000000", "海拉尔区", Level.COUNTY, U),
    DemoRegion("150702001000", "正阳街道", Level.TOWNSHIP, U),
    DemoRegion("150702001001", "东山社区", Level.VILLAGE, U, weight=9),
    DemoRegion("150702001002", "西大街社区", Level.VILLAGE, U, weight=8),
    DemoRegion("150702001003", "河东社区", Level.VILLAGE, U, weight=7),
    DemoRegion("150702100000", "奋斗镇", Level.TOWNSHIP, R),
    DemoRegion("150702100001", "奋斗社区", Level.VILLAGE, U, weight=5),
    DemoRegion("150702100201", "团结村", Level.VILLAGE, R, weight=4),
    DemoRegion("150702100202", "东风村", Level.VILLAGE, R, weight=4),
    # 扎兰屯市: a county-level city, mostly farming villages.
    DemoRegion("150783000000", "扎兰屯市", Level.COUNTY, R),
    DemoRegion("150783001000", "兴华街道", Level.TOWNSHIP, U),
    DemoRegion("150783001001", "兴华社区", Level.VILLAGE, U, weight=6),
    DemoRegion("150783001002", "铁东社区", Level.VILLAGE, U, weight=5),
    DemoRegion("150783103000", "成吉思汗镇", Level.TOWNSHIP, R),
    DemoRegion("150783103201", "红光村", Level.VILLAGE, R, weight=5),
    DemoRegion("150783103202", "光荣村", Level.VILLAGE, R, weight=4),
    DemoRegion("150783103203", "新发村", Level.VILLAGE, R, weight=4),
    DemoRegion("150783103204", "前进村", Level.VILLAGE, R, weight=3),
)

# Named places the demo users and tests refer to.
TOWNSHIP_A = "150702100000"  # 奋斗镇: urban community + farming villages, the main demo township
TOWNSHIP_B = "150702001000"  # 正阳街道: a neighbouring township in the same county, for scope demos
VILLAGE_A = "150702100201"  # 团结村 in 奋斗镇
COUNTY_A = "150702000000"  # 海拉尔区


def demo_villages() -> list[DemoRegion]:
    return [r for r in DEMO_REGIONS if r.level == Level.VILLAGE]


def is_demo_code(code: str) -> bool:
    return code.startswith(CITY_CODE[:4])


# The offices that act on paper (公示发布单位, 通知书落款) with their complaint phones and 文号 代字. Invented for the
# demo (the numbers are not real lines); a locality enters its own in the region data.
DEMO_OFFICES: dict[str, tuple[str, str, str]] = {
    CITY_CODE: ("呼伦贝尔市民政局", "0470-8000000（演示）", "呼民救"),
    "150702000000": ("海拉尔区民政局", "0470-8100000（演示）", "海民救"),
    "150702001000": ("正阳街道办事处", "0470-8100101（演示）", "正街救"),
    "150702100000": ("奋斗镇人民政府", "0470-8100102（演示）", "奋政救"),
    "150783000000": ("扎兰屯市民政局", "0470-8200000（演示）", "扎民救"),
    "150783001000": ("兴华街道办事处", "0470-8200101（演示）", "兴街救"),
    "150783103000": ("成吉思汗镇人民政府", "0470-8200102（演示）", "成政救"),
}


@transaction.atomic
def build_demo_regions() -> dict[str, Region]:
    """Create or update the demo tree; returns the regions by code. Safe to run any number of times."""
    regions: dict[str, Region] = {}
    for spec in DEMO_REGIONS:
        parent = None
        if spec.level != Level.PROVINCE:
            # The deepest region already built whose prefix this code extends.
            parent = max((r for r in regions.values() if spec.code.startswith(r.prefix)), key=lambda r: len(r.prefix))
        region = Region(
            code=spec.code,
            name=spec.name,
            level=spec.level,
            parent=parent,
            area_type=spec.area_type,
            profile=spec.profile,
        )
        region.full_clean(validate_unique=False)
        region, _ = Region.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "level": spec.level,
                "parent": parent,
                "area_type": spec.area_type,
                "profile": spec.profile,
                **dict(zip(("office_name", "office_phone", "doc_prefix"), DEMO_OFFICES.get(spec.code, ("", "", "")),
                           strict=True)),
            },
        )
        regions[spec.code] = region
    return regions
