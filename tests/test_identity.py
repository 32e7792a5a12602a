import datetime as dt

import pytest

from engine.identity import (
    id_card_check_char,
    is_valid_id_card,
    is_valid_mobile,
    is_valid_uscc,
    uscc_check_char,
)


def make_id(first17):
    return first17 + id_card_check_char(first17)


def make_uscc(first17):
    return first17 + uscc_check_char(first17)


def test_published_id_card_sample():
    # The sample number of GB 11643-1999.
    assert is_valid_id_card("11010519491231002X")
    assert id_card_check_char("11010519491231002") == "X"
    assert is_valid_id_card("11010519491231002x")  # typed in lower case


def test_published_uscc_sample():
    # The example code of GB 32100-2015.
    assert is_valid_uscc("91350100M000100Y43")
    assert uscc_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize("first17", ["42010319850315123", "44030420001231456", "11010119000101001"])
def test_constructed_id_cards_are_valid(first17):
    assert is_valid_id_card(make_id(first17))


@pytest.mark.parametrize("value", [
    "11010519491231002",  # 17 characters
    "110105194912310021",  # wrong check digit
    "11010519491231002Y",  # not a check character
    "110105194902300027",  # 30 February
    "110105189912310025",  # born before 1900
    "010105194912310020",  # region code cannot start with 0
    "１１０１０５１９４９１２３１００２X",  # full-width digits
    " 11010519491231002X",
    "",
    None,
    11010519491231002,
])
def test_bad_id_cards(value):
    assert not is_valid_id_card(value)


def test_id_card_birth_date_not_in_future():
    tomorrow = dt.date(2024, 6, 2)
    value = make_id("42010320240602123")
    assert is_valid_id_card(value, today=tomorrow)
    assert not is_valid_id_card(value, today=dt.date(2024, 6, 1))


def test_id_check_char_covers_every_value():
    # Vary the last digit: the check characters must cycle through the table.
    chars = {id_card_check_char(f"4201031985031512{d}") for d in range(10)}
    assert len(chars) == 10


@pytest.mark.parametrize("first17", ["91110108MA01ABCD1", "12100000400000624", "Y1440300MA5DQ8XQ0"])
def test_constructed_usccs_are_valid(first17):
    assert is_valid_uscc(make_uscc(first17))


def test_uscc_check_31_maps_to_0():
    # Find a prefix whose weighted sum is divisible by 31: its check char is '0'.
    for n in range(10000):
        first17 = f"9111010800000{n:04d}"
        if uscc_check_char(first17) == "0":
            assert is_valid_uscc(first17 + "0")
            break
    else:
        pytest.fail("no prefix with check character 0")


@pytest.mark.parametrize("value", [
    "91350100M000100Y44",  # wrong check character
    "91350100M000100Y4",  # 17 characters
    "91350100M000100I43",  # I is not in the alphabet
    "913501A0M000100Y43",  # region code must be digits
    "",
    None,
])
def test_bad_usccs(value):
    assert not is_valid_uscc(value)


def test_uscc_check_char_refuses_bad_input():
    with pytest.raises(ValueError):
        uscc_check_char("91350100M000100O4")
    with pytest.raises(ValueError):
        id_card_check_char("1101051949123100")


@pytest.mark.parametrize("value,ok", [
    ("13800138000", True), ("19912345678", True), ("16612345678", True),
    ("12800138000", False), ("1380013800", False), ("138001380001", False),
    ("+8613800138000", False), ("138 0013 8000", False), ("１３８００１３８０００", False),
    (13800138000, False), ("", False),
])
def test_mobile(value, ok):
    assert is_valid_mobile(value) is ok
