import pytest

from notifications.phones import Refused, normalise


@pytest.mark.parametrize(
    "text",
    ["07700 900123", "07700900123", "+44 7700 900123", "+44 (0)7700 900123", "0044 7700 900123", "07700-900-123"],
)
def test_uk_mobiles_are_kept_in_e164(text):
    assert normalise(text) == "+447700900123"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "Enter a mobile number"),
        ("020 7946 0000", "landline"),
        ("0113 496 0000", "landline"),
        ("0906 123 4567", "costs extra"),
        ("070 1234 5678", "not mobile numbers"),
        ("076 4012 3456", "pagers"),
        ("07624 123456", "Isle of Man"),
        ("07781 123456", "Guernsey"),
        ("07797 712345", "Jersey"),
        ("+33 6 12 34 56 78", "UK mobile numbers"),
        ("+1 202 555 0100", "UK mobile numbers"),
        ("07700 90012", "UK mobile number"),
        ("０７７００ ９００１２３", "digits 0 to 9"),  # full-width digits
        ("٠٧٧٠٠٩٠٠١٢٣", "digits 0 to 9"),  # Arabic-Indic digits
        ("07700\u200b900123", "hidden character"),  # zero-width space
        ("\u202e07700900123", "hidden character"),  # right-to-left override
        ("07700 900123\u2066", "hidden character"),
        ("07700 9OO123", "digits 0 to 9"),  # letter O for zero
    ],
)
def test_everything_else_is_refused_with_a_reason_a_patient_can_act_on(text, reason):
    with pytest.raises(Refused) as refused:
        normalise(text)
    assert reason in str(refused.value)
