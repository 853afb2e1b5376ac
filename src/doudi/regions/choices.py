from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("地市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡镇（街道）")
    VILLAGE = "village", _("村（社区）")


class AreaType(models.TextChoices):
    URBAN = "urban", _("城市")
    RURAL = "rural", _("农村")


# Length of the significant prefix of a 12-digit statistical division code (统计用区划代码) at each level:
# 2 province + 2 city + 2 county + 3 township + 3 village. A region's subtree is every code with that prefix.
PREFIX_LENGTH = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
}
LEVEL_ORDER = [Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE]
