import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from doudi.core.ids import InvalidResidentId, mask_ids_in_text, mask_resident_id, parse_resident_id
from tests.factories import bad_check_digit, make_id


def test_valid_id_gives_birth_date_and_sex():
    number = make_id(dt.date(1975, 2, 28), "F")
    rid = parse_resident_id(number.lower() if number.endswith("X") else number)
    assert rid.birth_date == dt.date(1975, 2, 28)
    assert rid.sex == "F"


def test_wrong_check_digit_is_explained():
    with pytest.raises(InvalidResidentId, match="校验位"):
        parse_resident_id(bad_check_digit(make_id()))


def test_impossible_birth_date_is_explained():
    body = "11010119800230001"  # 30 February
    from stdnum.cn import ric

    with pytest.raises(InvalidResidentId, match="出生日期"):
        parse_resident_id(body + ric.calc_check_digit(body + "0"))


@pytest.mark.parametrize("raw", ["", "123", "11010119800101001", "1101011980010100AX"])
def test_malformed_ids_get_a_message_not_a_traceback(raw):
    with pytest.raises(InvalidResidentId):
        parse_resident_id(raw)


@given(st.text(max_size=30))
def test_any_text_is_either_valid_or_a_clean_error(text):
    try:
        parse_resident_id(text)
    except InvalidResidentId as exc:
        assert exc.message


def test_masking_hides_birth_date():
    number = make_id(dt.date(1980, 5, 17))
    masked = mask_resident_id(number)
    assert "19800517" not in masked and masked.startswith(number[:6]) and masked.endswith(number[-4:])
    assert number not in mask_ids_in_text(f"身份证 {number} 的记录")
