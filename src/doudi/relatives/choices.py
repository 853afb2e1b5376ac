from django.db import models
from django.utils.translation import gettext_lazy as _


class CadreRole(models.TextChoices):
    CASEWORKER = "caseworker", _("低保经办人员")
    VILLAGE_COMMITTEE = "village_committee", _("村（居）民委员会成员")


class Kinship(models.TextChoices):
    SPOUSE = "spouse", _("配偶")
    PARENT = "parent", _("父母")
    CHILD = "child", _("子女")
    SIBLING = "sibling", _("兄弟姐妹")
    GRANDPARENT = "grandparent", _("祖父母、外祖父母")
    GRANDCHILD = "grandchild", _("孙子女、外孙子女")
