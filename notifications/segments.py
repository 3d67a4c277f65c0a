"""How many SMS segments a text costs. Pure.

GSM-7 fits 160 characters in one segment (153 per part when split); a handful of characters
take two. One character outside GSM-7 -- a curly quote, an en dash, an accented capital, an
emoji -- turns the whole text into UCS-2: 70 characters, 67 per part. So we write texts in
plain ASCII where we can, and tidy what editors paste in.
"""

from dataclasses import dataclass

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")

# Characters word processors put in that cost a whole UCS-2 text, and their plain twins.
TIDY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00a0": " ",  # a non-breaking space alone would make the text UCS-2
        "\u202f": " ",
    }
)


@dataclass(frozen=True)
class Segments:
    encoding: str  # "GSM-7" or "UCS-2"
    characters: int  # in the encoding's units (an extended GSM-7 character counts 2)
    count: int


def tidy(text: str) -> str:
    return text.translate(TIDY)


def count(text: str) -> Segments:
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text):
        units = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
        single, part, encoding = 160, 153, "GSM-7"
    else:
        # UTF-16 code units: an emoji outside the BMP takes two.
        units = len(text.encode("utf-16-le")) // 2
        single, part, encoding = 70, 67, "UCS-2"
    if units <= single:
        return Segments(encoding, units, 1 if units else 0)
    return Segments(encoding, units, -(-units // part))
