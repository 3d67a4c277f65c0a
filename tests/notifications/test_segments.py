from hypothesis import given
from hypothesis import strategies as st

from notifications.segments import GSM7_BASIC, count, tidy


def test_160_plain_characters_are_one_segment_and_161_are_two():
    assert count("a" * 160) == count("a" * 160).__class__("GSM-7", 160, 1)
    assert count("a" * 161).count == 2
    assert count("a" * 306).count == 2
    assert count("a" * 307).count == 3


def test_extended_characters_count_twice():
    assert count("€" * 80).characters == 160
    assert count("€" * 80).count == 1
    assert count("[" * 81).count == 2


def test_one_curly_quote_makes_the_whole_text_ucs2():
    text = "Your pharmacy\u2019s system is working again."
    assert count(text).encoding == "UCS-2"
    assert count(tidy(text)).encoding == "GSM-7"


def test_ucs2_segments_are_70_then_67_and_emoji_count_twice():
    assert count("é" * 0 + "ā" * 70).count == 1
    assert count("ā" * 71).count == 2
    assert count("ā" * 134).count == 2
    assert count("😀" * 35).characters == 70


@given(st.text(alphabet=sorted(GSM7_BASIC), max_size=1000))
def test_a_gsm7_text_needs_just_enough_segments(text):
    n = count(text).count
    assert n == (0 if not text else 1 if len(text) <= 160 else -(-len(text) // 153))
