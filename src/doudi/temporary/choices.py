from django.db import models
from django.utils.translation import gettext_lazy as _


class MovementKind(models.TextChoices):
    TOP_UP = "top_up", _("拨付补充")
    DRAW = "draw", _("先行救助支出")
