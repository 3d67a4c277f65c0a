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


@dataclass(frozen=True)
class Intent:
    action: str  # stop | start | help | join | confirm | status | unknown
    argument: str = ""


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
    if re.fullmatch(r"\d{6}", bare):
        return Intent("confirm", bare)
    if m := re.fullmatch(r"JOIN\s*([A-Z0-9 ]{2,10})", words.strip(".! ")):
        return Intent("join", m.group(1).replace(" ", ""))
    # "STATUS FW844", "status ls1 4ap", "Status: Station Pharmacy", or just "STATUS".
    if first in STATUS:
        return Intent("status", words[len(words.split(" ")[0]) :].strip(" .!?:,;-"))
    return Intent("unknown")
