"""Reading an offer said in words onto the offer builder's terms.

"I could do 38 cents if you take 2.8 million" -> price €0.38, volume 2.8M trays.
Numbers are read with their units (k, million, percent, cents, days, years…)
and compared with the numbers in each option's label; options without
numbers ("Monthly deliveries", "Munro first") are found by their words.
Whatever is not said stays for the learner to set before confirming.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from negtrainer.understand.text import STOP, normal, stem, words


@dataclass(frozen=True)
class IssueTerms:
    id: str
    label: str
    options: tuple[str, ...]


_UNITS = {"k": 1e3, "thousand": 1e3, "grand": 1e3, "m": 1e6, "million": 1e6, "mil": 1e6}
_NUMWORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "half": 0.5,
    "a": 1,
}
_SAME_UNIT = {
    "day": "day",
    "days": "day",
    "year": "year",
    "years": "year",
    "yr": "year",
    "week": "week",
    "weeks": "week",
    "month": "month",
    "months": "month",
    "%": "%",
    "percent": "%",
    "per": "%",
    "option": "option",
    "options": "option",
    "cent": "cent",
    "cents": "cent",
    "pence": "cent",
    "p": "cent",
}
_TOKEN = re.compile(r"[£€$]?\d[\d,]*(?:\.\d+)?|[a-z%]+(?:-[a-z]+)?")


def _numbers(text: str) -> list[tuple[float, str | None, bool]]:
    """(value, unit, had a currency sign) for each number said in ``text``."""
    toks = _TOKEN.findall(normal(text).replace("%", " % "))
    out: list[tuple[float, str | None, bool]] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        money = tok[0] in "£€$"
        raw = tok.lstrip("£€$")
        value: float | None = None
        if raw[:1].isdigit():
            try:
                value = float(raw.replace(",", ""))
            except ValueError:
                value = None
        elif raw in _NUMWORDS and raw != "a":
            value = float(_NUMWORDS[raw])
            # "seventy eight"
            if (
                i + 1 < len(toks)
                and toks[i + 1] in _NUMWORDS
                and value >= 20
                and _NUMWORDS[toks[i + 1]] < 10
                and toks[i + 1] != "a"
            ):
                value += _NUMWORDS[toks[i + 1]]
                i += 1
        elif "-" in raw and all(p in _NUMWORDS for p in raw.split("-")):
            value = float(sum(_NUMWORDS[p] for p in raw.split("-")))
        if value is None:
            i += 1
            continue
        unit = None
        if i + 1 < len(toks):
            nxt = toks[i + 1]
            if nxt in _UNITS:
                value *= _UNITS[nxt]
                money = money or nxt in ("k", "grand")
                i += 1
                nxt = toks[i + 1] if i + 1 < len(toks) else ""
            unit = _SAME_UNIT.get(nxt)
        m = re.fullmatch(r"([\d.]+)([km])", raw)
        if m:
            value = float(m.group(1)) * _UNITS[m.group(2)]
        out.append((value, unit, money))
        i += 1
    return out


def _matches(said: tuple[float, str | None, bool], opt: tuple[float, str | None, bool]) -> float:
    sv, su, _ = said
    ov, ou, omoney = opt
    if su == "cent" and omoney and ov < 10:
        sv = sv / 100
        su = None
    if abs(sv - ov) > 1e-6 * max(1.0, abs(ov)):
        return 0.0
    if su and ou:
        return 3.0 if su == ou else 0.0
    return 2.0


def read_offer(
    text: str, issues: Sequence[IssueTerms]
) -> tuple[dict[str, str] | None, tuple[str, ...]]:
    """Terms said in ``text`` (issue -> option label) and the issues left unsaid."""
    said = _numbers(text)
    line_stems = {stem(w) for w in words(normal(text)) if w not in STOP}
    terms: dict[str, str] = {}
    for issue in issues:
        scored = []
        for label in issue.options:
            nums = _numbers(label)
            score = max((_matches(s, o) for s in said for o in nums), default=0.0)
            own = {
                stem(w)
                for w in words(normal(label))
                if w not in STOP and not w[:1].isdigit() and w not in _SAME_UNIT
            }
            if own:
                hit = len(own & line_stems) / len(own)
                if hit >= 0.5:
                    score += (1.0 if nums else 2.0) * hit
            scored.append((score, label))
        scored.sort(key=lambda x: -x[0])
        if scored and scored[0][0] >= 1.0 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
            terms[issue.id] = scored[0][1]
    missing = tuple(i.id for i in issues if i.id not in terms)
    return (terms or None), (missing if terms else ())
