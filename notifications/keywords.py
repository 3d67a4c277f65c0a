"""What an inbound text asks for. Pure: the words of the message in, an intent out.

People type STOP in many ways -- "stop", " Stop. ", full-width letters from some phones -- and
every one of them must work: leaving has to be as easy as joining.
"""

import re
import unicodedata
from dataclasses import dataclass

STOP = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
START = {"START", "UNSTOP", "YES"}
HELP = {"HELP", "INFO"}
STATUS = {"STATUS"}
# Welsh keywords, answered in Welsh.
WELSH_HELP = {"CYMORTH"}
WELSH_STATUS = {"STATWS"}
WELSH_JOIN = "YMUNO"


@dataclass(frozen=True)
class Intent:
    action: str  # stop | start | help | join | confirm | status | unknown
    argument: str = ""
    language: str = ""  # "cy" when asked in Welsh


def normalise(text: str) -> str:
    # NFKC folds full-width letters and digits to ASCII; format characters (zero-width, bidi) go.
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(text.upper().split())


def read(text: str) -> Intent:
    words = normalise(text)
    bare = re.sub(r"[\s.!,;:'\"]", "", words)
    first = re.sub(r"[.!,;:'\"]", "", words.split(" ")[0]) if words else ""
    # Twilio counts only the bare keyword; we also take "Stop please": never text someone who asked not to be.
    if bare in STOP or first in STOP:
        return Intent("stop")
    if bare in START:
        return Intent("start")
    if bare in HELP:
        return Intent("help")
    if bare in WELSH_HELP:
        return Intent("help", language="cy")
    if re.fullmatch(r"\d{6}", bare):
        return Intent("confirm", bare)
    if m := re.fullmatch(rf"(JOIN|{WELSH_JOIN})\s*([A-Z0-9 ]{{2,10}})", words.strip(".! ")):
        return Intent("join", m.group(2).replace(" ", ""), "cy" if m.group(1) == WELSH_JOIN else "")
    # "STATUS FW844", "status ls1 4ap", "Status: Station Pharmacy", or just "STATUS".
    if first in STATUS | WELSH_STATUS:
        asked = words[len(words.split(" ")[0]) :].strip(" .!?:,;-")
        return Intent("status", asked, "cy" if first in WELSH_STATUS else "")
    return Intent("unknown")
