"""Normalising a typed line: case, spelling variants, common typos, word stems.

Learners type fast and in British or American English; matching and rules
work on one spelling so that "apologise", "apologize" and "apologize," meet.
"""

from __future__ import annotations

import re
import unicodedata

# British -> American, and frequent slips; both sides of a match pass through here.
_VARIANTS = {
    "apologise": "apologize",
    "apologised": "apologized",
    "apologising": "apologizing",
    "realise": "realize",
    "realised": "realized",
    "summarise": "summarize",
    "summarised": "summarized",
    "recognise": "recognize",
    "organisation": "organization",
    "favour": "favor",
    "favours": "favors",
    "colour": "color",
    "behaviour": "behavior",
    "labour": "labor",
    "centre": "center",
    "programme": "program",
    "cheque": "check",
    "travelling": "traveling",
    "cancelled": "canceled",
    "neighbour": "neighbor",
    "honour": "honor",
    "honours": "honors",
    "valuable": "valuable",
    "analyse": "analyze",
    "prioritise": "prioritize",
    "criticise": "criticize",
    "emphasise": "emphasize",
    "wat": "what",
    "whats": "what's",
    "hows": "how's",
    "wheres": "where's",
    "im": "i'm",
    "ill": "i'll",
    "dont": "don't",
    "cant": "can't",
    "wont": "won't",
    "isnt": "isn't",
    "youre": "you're",
    "thats": "that's",
    "ive": "i've",
    "didnt": "didn't",
    "doesnt": "doesn't",
    "teh": "the",
    "paymnet": "payment",
    "recieve": "receive",
    "definately": "definitely",
    "wich": "which",
    "becuase": "because",
    "beacuse": "because",
    "thier": "their",
    "u": "you",
    "ur": "your",
    "r": "are",
    "pls": "please",
    "thx": "thanks",
    "thanx": "thanks",
    "gonna": "going to",
    "wanna": "want to",
    "ok": "okay",
    "k": "thousand",
    "grand": "thousand",
}

_WORD = re.compile(r"[a-z0-9£€$%]+(?:['’][a-z]+)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]")  # a terminal's colour and cursor codes
_INVISIBLE = frozenset({"Cf", "Cs", "Co", "Cn"})  # format, surrogate, private, unassigned

# Words too common to tell two lines apart.
STOP = frozenset(
    """
a an the and or but if so to of in on at for with by from as is are was were be been am
i you we they he she it me us them my your our their his her its this that these those
do does did have has had will would can could shall should may might must just really
very there here then than what how where which who when why not no yes
i'm you're we're it's that's i'll we'll you'll i've we've you've i'd we'd don't can't won't
let let's me about up out into over all any some more also too get got
""".split()  # noqa: SIM905
)

MAX_CHARS = 1000  # a typed line longer than this is cut: no one says more in one turn


def clean(text: str) -> str:
    """The line as shown and stored: terminal escapes, control and invisible format
    characters (a right-to-left override, a zero-width joiner, a lone surrogate) out,
    spaces tidied, bounded. What is left is what a reader sees, and only that is read."""
    text = _ANSI.sub(" ", text[: MAX_CHARS * 4])
    text = _CONTROL.sub(" ", text)
    if not text.isascii():
        text = "".join(c for c in text if unicodedata.category(c) not in _INVISIBLE)
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())[:MAX_CHARS]


def normal(text: str) -> str:
    """Lower case, straight quotes, one spelling of each word."""
    t = clean(text).lower().replace("’", "'").replace("‘", "'").replace("–", "-")
    t = t.replace("—", " - ").replace("…", "...")
    return " ".join(_VARIANTS.get(w, w) for w in t.split())


def words(text: str) -> list[str]:
    """Words of an already normalised line (spelling variants applied per word)."""
    out: list[str] = []
    for w in _WORD.findall(text):
        w = _VARIANTS.get(w, w)
        out.extend(w.split())
    return out


def stem(word: str) -> str:
    """A crude suffix stripper: enough for 'asking'/'asked'/'asks' to meet."""
    for suffix in (
        "ations",
        "ation",
        "ingly",
        "ings",
        "ing",
        "edly",
        "ies",
        "ied",
        "ed",
        "es",
        "ly",
        "s",
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                base += "y"
            return base
    return word


def content_stems(text: str) -> list[str]:
    return [stem(w) for w in words(text) if w not in STOP]
