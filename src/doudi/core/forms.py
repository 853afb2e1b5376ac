"""Form fields shared by every screen: money in yuan, dates in a sane range, IDs, counts. Each cleans to what the
services take (integer fen, a date, an int) and refuses bad input with a Chinese message, so a view never sees a
value that could overflow a column or a date in the year 99999."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from doudi.core.money import MAX_AMOUNT_FEN, fen_to_yuan, yuan_to_fen
from doudi.core.validators import MAX_DB_ID, InvalidInput, check_date, validate_bank_account


class YuanField(forms.DecimalField):
    """An amount in yuan (元, at most two decimals) cleaned to integer fen."""

    def __init__(self, *, max_fen: int = MAX_AMOUNT_FEN, allow_negative: bool = False, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        limit = fen_to_yuan(max_fen)
        super().__init__(
            max_digits=15, decimal_places=2, max_value=limit, min_value=-limit if allow_negative else Decimal(0),
            **kwargs,
        )
        self.max_fen, self.allow_negative = max_fen, allow_negative

    def clean(self, value):
        amount = super().clean(value)
        if amount is None:
            return None
        return yuan_to_fen(amount, allow_negative=self.allow_negative, max_fen=self.max_fen)


class BoundedDateField(forms.DateField):
    """``YYYY-MM-DD`` from 1900-01-01 to a year ahead, or to today when ``allow_future=False`` (events)."""

    widget = forms.DateInput(attrs={"type": "date"})

    def __init__(self, *, allow_future: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.allow_future = allow_future

    def clean(self, value):
        day = super().clean(value)
        if day is None:
            return None
        try:
            return check_date(day, label=str(self.label or _("日期")), allow_future=self.allow_future)
        except InvalidInput as exc:
            raise ValidationError(exc.message, code=exc.code) from None


class IdField(forms.IntegerField):
    """The id of a row, posted by a page (a select, a hidden field): a positive 64-bit integer."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_DB_ID, **kwargs)


class CountField(forms.IntegerField):
    def __init__(self, *, maximum: int, minimum: int = 0, **kwargs):
        kwargs.setdefault("widget", forms.NumberInput(attrs={"inputmode": "numeric"}))
        super().__init__(min_value=minimum, max_value=maximum, **kwargs)


class BankAccountField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=40, validators=[validate_bank_account], **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return "".join(ch for ch in value if ch.isdigit()) if value else value
