"""core.posted.PostedId: a row id as a page posts it, or None (the screens answer None with a 404)."""

from __future__ import annotations

import pytest

from doudi.core.posted import PostedForm, PostedId


class _Pick(PostedForm):
    row = PostedId()


@pytest.mark.parametrize(("raw", "value"), [
    ("12", 12), ("0", 0), ("9" * 18, int("9" * 18)),
    ("", None), ("abc", None), ("²", None), ("١٢", None), ("-3", None), (" 12", None), ("9" * 19, None),
])
def test_a_posted_id_is_plain_digits_or_none(raw, value):
    assert _Pick({"row": raw}).cleaned()["row"] == value


def test_a_missing_id_is_none():
    assert _Pick({}).cleaned()["row"] is None
