import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.people.identifiers import (
    UPN_CHECK_ALPHABET,
    nhs_number_check_digit,
    nhs_number_is_valid,
    nhs_number_normalise,
    postcode_is_valid,
    postcode_normalise,
    upn_check_letter,
    upn_is_valid,
)
from earlyhelp.people.names import name_normalise, name_sound


@pytest.mark.parametrize("number", ["9434765870", "943 476 5870", "943-476-5870", "4010232137"])
def test_real_nhs_numbers_are_accepted(number):
    assert nhs_number_is_valid(number)


@pytest.mark.parametrize("number", ["9434765871", "943476587", "94347658700", "abcdefghij", ""])
def test_mistyped_nhs_numbers_are_refused(number):
    assert not nhs_number_is_valid(number)


def test_a_check_digit_of_ten_means_no_valid_nhs_number_starts_that_way():
    # 11 - (sum mod 11) == 10 for these nine digits.
    first_nine = next(f"{n:09d}" for n in range(10**8, 10**8 + 1000) if nhs_number_check_digit(f"{n:09d}") is None)
    assert all(not nhs_number_is_valid(first_nine + str(digit)) for digit in range(10))


@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(0, 8), st.integers(1, 9))
def test_changing_any_one_digit_of_a_valid_nhs_number_is_caught(first_nine, position, shift):
    check = nhs_number_check_digit(first_nine)
    if check is None:
        return
    number = first_nine + str(check)
    assert nhs_number_is_valid(number)
    changed = list(number)
    changed[position] = str((int(changed[position]) + shift) % 10)
    assert not nhs_number_is_valid("".join(changed))


def test_the_dfe_worked_example_check_letter():
    # Characters 2-13 "801200001001": weights 2..13 give 8*2+0*3+1*4+2*5+0*6+0*7+0*8+0*9+1*10+0*11+0*12+1*13
    # = 16+4+10+10+13 = 53; 53 mod 23 = 7, the eighth letter of the check alphabet: H.
    assert upn_check_letter("801200001001") == "H"
    assert upn_is_valid("H801200001001")
    assert not upn_is_valid("A801200001001")


def test_a_temporary_upn_ending_in_a_letter_is_checked_with_the_letter_value():
    last_twelve = "92820011200A"
    assert upn_is_valid(upn_check_letter(last_twelve) + last_twelve)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_every_upn_built_with_its_check_letter_is_valid(last_twelve):
    letter = upn_check_letter(last_twelve)
    assert letter in UPN_CHECK_ALPHABET
    assert upn_is_valid(letter + last_twelve)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("nn1 5ab", "NN1 5AB"),
        ("NN15AB", "NN1 5AB"),
        (" sw1a 1aa ", "SW1A 1AA"),
        ("PE8 4BQ", "PE8 4BQ"),
        ("nn1  5ab", "NN1 5AB"),  # two spaces
        ("NN1\t5AB", "NN1 5AB"),  # a tab pasted from a spreadsheet
    ],
)
def test_postcodes_are_stored_in_one_form(typed, stored):
    assert postcode_is_valid(typed)
    assert postcode_normalise(typed) == stored


@pytest.mark.parametrize("typed", ["NN1", "12345", "NN1 5CI", "NNN1 5AB", ""])
def test_postcodes_that_cannot_exist_are_refused(typed):
    assert not postcode_is_valid(typed)


def test_names_that_sound_alike_share_a_key():
    assert name_sound("Mohammed") == name_sound("Muhammad")
    assert name_sound("Jon") == name_sound("John")
    assert name_normalise("  O'Neil-Smith  ") == "oneil smith"
    assert name_normalise("Zoë") == "zoe"


@pytest.mark.parametrize(
    "badly_formed",
    [
        "H80120000100",  # twelve characters
        "H8012000010011",  # fourteen
        "I801200001001",  # I is not in the check alphabet
        "H80120000100I",  # nor as the last character
        "H8012A0001001",  # a letter in the middle
        "",
        "H801200001001 x",
    ],
)
def test_a_badly_formed_upn_is_refused_whatever_its_check_letter(badly_formed):
    assert upn_is_valid(badly_formed) is False


def test_a_upn_is_read_without_spaces_and_in_capitals():
    assert upn_is_valid(" h801 2000 01001 ")


def test_nhs_numbers_are_read_without_spaces_or_dashes():
    assert nhs_number_normalise(" 943-476 5870 ") == "9434765870"
    assert nhs_number_is_valid("943 476 5870")
    assert not nhs_number_is_valid("943476587")  # nine digits
    assert not nhs_number_is_valid("94347658700")  # eleven
    assert not nhs_number_is_valid("943476587O")  # a letter O
    assert nhs_number_is_valid("943 476 58") is False  # a yes-or-no answer, never None


def test_nhs_number_problems_say_which_mistake_it_is():
    from earlyhelp.people.identifiers import nhs_number_problem

    assert nhs_number_problem("") is None
    assert nhs_number_problem("943 476 5870") is None
    assert nhs_number_problem("12345") == "Enter an NHS number in the correct format: 10 digits, like 943 476 5870"
    assert (
        nhs_number_problem("943 476 5871")
        == "Enter a real NHS number: this one fails its check digit, so a number may be mistyped"
    )


def test_an_nhs_number_is_shown_the_way_the_nhs_prints_it():
    from earlyhelp.people.identifiers import nhs_number_display

    assert nhs_number_display("9434765870") == "943 476 5870"
    assert nhs_number_display("12345") == "12345"


def test_a_postcode_that_cannot_be_read_is_kept_as_typed_in_capitals():
    assert postcode_normalise(" not a postcode ") == "NOT A POSTCODE"
