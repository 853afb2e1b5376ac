"""Types for ninja API schemas, with the same bounds as ``core.forms`` and ``core.validators``; the bounds appear
in the OpenAPI schema (minimum/maximum), so clients and the schemathesis fuzz test see them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import AfterValidator, Field, field_validator

from doudi.core.money import MAX_AMOUNT_FEN
from doudi.core.validators import MAX_DB_ID, InvalidInput, check_date, parse_month


def _event(value: dt.date) -> dt.date:
    try:
        return check_date(value, label="日期", allow_future=False)
    except InvalidInput as exc:
        raise ValueError(exc.message) from None


def _planned(value: dt.date) -> dt.date:
    try:
        return check_date(value, label="日期", allow_future=True)
    except InvalidInput as exc:
        raise ValueError(exc.message) from None


def _month(value: str) -> str:
    try:
        parse_month(value, label="月份")
    except InvalidInput as exc:
        raise ValueError(exc.message) from None
    return value


Id = Annotated[int, Field(ge=1, le=MAX_DB_ID)]
# A month as ``YYYY-MM`` (a payroll month, a price index month).
Month = Annotated[str, Field(pattern=r"^\d{4}-\d{2}$", examples=["2026-03"]), AfterValidator(_month)]
Fen = Annotated[int, Field(ge=0, le=MAX_AMOUNT_FEN, description="金额（分）")]
Count = Annotated[int, Field(ge=0, le=10_000)]
# An event that has happened (a visit, a filing, a payment received): 1900-01-01 … today.
EventDate = Annotated[dt.date, AfterValidator(_event)]
# A date that may lie a little ahead (an expiry, a period end): 1900-01-01 … a year from today.
PlanDate = Annotated[dt.date, AfterValidator(_planned)]
Stages = Annotated[int, Field(ge=1, le=12)]
MAX_TEXT = 2000


def Text(max_length: int):
    """A text field no longer than the column it is stored in (PostgreSQL refuses a longer one)."""
    return Annotated[str, Field(max_length=max_length)]


class InputSchema(Schema):
    """Base of every request body: text never carries a NUL character (PostgreSQL cannot store one) and stays within
    ``MAX_TEXT`` characters; a longer field has its own ``max_length`` on the schema."""

    @field_validator("*", mode="after")
    @classmethod
    def _plain_text(cls, value):
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str):
                if "\x00" in text:
                    raise ValueError("不能包含空字符（\\x00）")
                if len(text) > MAX_TEXT:
                    raise ValueError(f"文字过长（不超过 {MAX_TEXT} 字）")
        return value
