"""Forms for screens whose fields used to be read by hand from ``request.POST``/``request.GET``.

Each field declares one posted input exactly as the screen reads it: the text as sent (not stripped; a default when
the field was not posted at all), or the list of a repeated field. ``clean`` then runs the shared parsers (money,
dates, counts, lines) in the order the screen always ran them. A parser's ``DomainError`` is kept and re-raised
unchanged by ``cleaned()``, so the view keeps its one error path and the user sees the same Chinese message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from doudi.core.errors import DomainError
from doudi.core.validators import InvalidInput

T = TypeVar("T")


class PostedText(forms.Field):
    """One posted text, as sent; ``missing`` when the field was not posted at all (an empty text stays empty).

    With ``max_length`` a longer text is refused with a Chinese message naming ``label`` (instead of being cut by
    the service or refused by the database)."""

    def __init__(self, *, missing: str | None = "", max_length: int | None = None, **kwargs: Any):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.missing, self.max_length = missing, max_length

    def clean(self, value: Any) -> str | None:
        if value is None:
            return self.missing
        if self.max_length is not None and len(value) > self.max_length:
            raise ValidationError(
                _("%(label)s不能超过 %(n)d 个字（现有 %(have)d 个字）") % {
                    "label": self.label or _("填写的内容"), "n": self.max_length, "have": len(value)},
                code="too_long")
        return value


class PostedFlag(forms.Field):
    """A check box or a switch in a link: true only when the value sent is ``on`` (``"1"``), as the screens read it."""

    def __init__(self, *, on: str = "1", **kwargs: Any):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.on = on

    def clean(self, value: Any) -> bool:
        return value == self.on


class PostedChoice(forms.Field):
    """A filter or a choice read from a link or a post: the value when it is one of ``choices``, else ``default``
    (an unknown value is ignored, as the lists always did)."""

    def __init__(self, *, choices: Any, default: str = "", **kwargs: Any):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.allowed, self.default = set(choices), default

    def clean(self, value: Any) -> str:
        return value if value in self.allowed else self.default


class PostedList(forms.Field):
    """Every value of a repeated field (checkboxes, a multiple select), in the order posted."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[str]:
        return list(value or [])


def posted_id(value: Any) -> int | None:
    """A row id as a page posts it: plain ASCII digits, at most 18 (so it fits the column), else ``None``."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


class PostedId(forms.Field):
    """The id of a row posted by a page (a hidden field, a link): the number, or ``None`` when it is missing or not
    plain digits (the screens answer that with a 404, as they always did)."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> int | None:
        return posted_id(value)


class PostedForm(forms.Form):
    """Parse in ``clean`` with ``self.parse(parser, ...)``; read the result with ``cleaned()``."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.domain_error: DomainError | None = None

    def parse(self, parser: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call a shared parser; its ``DomainError`` stops the cleaning and is kept for ``cleaned()``."""
        try:
            return parser(*args, **kwargs)
        except DomainError as exc:
            self.domain_error = self.domain_error or exc
            raise ValidationError(exc.message, code=exc.code) from None

    def cleaned(self) -> dict[str, Any]:
        """The cleaned inputs, or the parser's ``DomainError`` raised as the screen always raised it."""
        if not self.is_valid():
            if self.domain_error is not None:
                raise self.domain_error
            # A field's own check (these forms' fields have none): its messages, never a 500.
            raise InvalidInput("；".join(str(m) for errors in self.errors.values() for m in errors))
        return self.cleaned_data
