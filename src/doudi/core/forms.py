"""Form fields shared by every screen: money in yuan, dates in a sane range, IDs, counts. Each cleans to what the
services take (integer fen, a date, an int) and refuses bad input with a Chinese message, so a view never sees a
value that could overflow a column or a date in the year 99999."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from doudi.core.money import MAX_AMOUNT_FEN, fen_to_yuan, yuan_to_fen
from doudi.core.validators import (
    MAX_DB_ID,
    InvalidInput,
    check_date,
    check_year,
    parse_month,
    validate_bank_account,
)


def date_input() -> forms.DateInput:
    """<input type=date> in ISO format whatever the language: a Chinese locale would render 2026/03/01, which the
    browser drops, so an initial date would show empty."""
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


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

    widget = date_input()

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


class MonthField(forms.CharField):
    """``YYYY-MM`` (the browser's month picker), cleaned to the first day of the month."""

    widget = forms.DateInput(attrs={"type": "month"})

    def __init__(self, **kwargs):
        super().__init__(max_length=7, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_month(text, label=str(self.label or _("月份")))
        except InvalidInput as exc:
            raise ValidationError(exc.message, code=exc.code) from None


class YearField(forms.IntegerField):
    def clean(self, value):
        year = super().clean(value)
        if year is None:
            return None
        try:
            return check_year(year, label=str(self.label or _("年份")))
        except InvalidInput as exc:
            raise ValidationError(exc.message, code=exc.code) from None


class PercentField(forms.DecimalField):
    """A percentage with up to two decimals (e.g. a price index change), cleaned to basis points (2.5 → 250)."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=5, decimal_places=2, min_value=-100, max_value=100, **kwargs)

    def clean(self, value):
        percent = super().clean(value)
        return None if percent is None else int(percent * 100)


class RegionCodeField(forms.RegexField):
    """A 12-digit region code posted by a page's region picker."""

    def __init__(self, **kwargs):
        super().__init__(regex=r"^\d{12}$", error_messages={"invalid": _("请选择区划")}, **kwargs)


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


def errors_text(form: forms.Form) -> str:
    """A form's errors as one Chinese sentence for a message: "金额：请输入一个数字；日期：…"."""
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = str(field.label) if field is not None and field.label else ""
        for error in errors:
            text = str(error)
            parts.append(text if not label or text.startswith(label) else f"{label}：{text}")
    return "；".join(parts)
