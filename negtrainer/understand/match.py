"""Which available choice a typed line says the same thing as.

Similarity is lexical, on normalised text: character 3-5-grams (robust to
typos and word endings) and word stems, each weighted by how rare it is
among the choices on screen, so the words that tell choices apart count
most. Agreement between the line's move type and a choice's adds to it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from negtrainer.understand.text import STOP, content_stems, normal, stem


@dataclass(frozen=True)
class Option:
    """An available choice as the matcher sees it."""

    id: str
    text: str
    move: str
    topics: tuple[str, ...] = ()


@lru_cache(maxsize=4096)  # the same choices are read against every typed line
def grams(text: str) -> Counter[str]:
    """Character 3-5-grams of the normalised words (read only: cached)."""
    t = (
        " "
        + " ".join(
            w
            for w in normal(text)
            .replace("?", " ")
            .replace(".", " ")
            .replace(",", " ")
            .replace("!", " ")
            .split()
        )
        + " "
    )
    out: Counter[str] = Counter()
    for n in (3, 4, 5):
        for i in range(len(t) - n + 1):
            out[t[i : i + n]] += 1
    return out


@lru_cache(maxsize=4096)
def _stems(text: str) -> Counter[str]:
    return Counter(content_stems(text))


def _weights(bags: Sequence[Counter[str]], extra: Counter[str]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(set(bag))
    n = len(bags)
    return {g: math.log((n + 1) / (df[g] + 0.5)) + 0.5 for g in extra if g in df}


def _cosine(a: Counter[str], b: Counter[str], w: dict[str, float]) -> float:
    if len(b) < len(a):
        common = [g for g in b if g in a]
    else:
        common = [g for g in a if g in b]
    if not common:
        return 0.0
    dot = sum(a[g] * b[g] * w.get(g, 0.0) ** 2 for g in common)
    if not dot:
        return 0.0
    return dot / (_norm(a, w) * _norm(b, w))


def _norm(bag: Counter[str], w: dict[str, float]) -> float:
    return math.sqrt(sum((c * w.get(g, 1.0)) ** 2 for g, c in bag.items()))


@dataclass(frozen=True)
class Scored:
    option: Option
    score: float
    text_similarity: float


# Related moves: a line that reads as one is plausibly meant as the other.
_NEAR = {
    frozenset(("open_question", "closed_question")),
    frozenset(("paraphrase", "summary")),
    frozenset(("paraphrase", "emotion_label")),
    frozenset(("threat", "ultimatum")),
    frozenset(("bare_refusal", "refusal_with_reasons")),
    frozenset(("offer", "concession")),
    frozenset(("small_talk", "self_disclosure")),
    frozenset(("appreciation", "small_talk")),
    frozenset(("closed_question", "leading_question")),
    frozenset(("promise", "offer")),
    frozenset(("argument", "refusal_with_reasons")),
    frozenset(("argument", "closed_question")),
    frozenset(("closed_question", "small_talk")),
    frozenset(("open_question", "small_talk")),
}

MOVE_AGREES = 0.12
MOVE_NEAR = 0.05


def rank(text: str, options: Sequence[Option], move_scores: dict[str, float]) -> list[Scored]:
    """Options best first, each with a score in about 0..1.2."""
    if not options:
        return []
    line_grams = grams(text)
    opt_grams = [grams(o.text) for o in options]
    gw = _weights(opt_grams, line_grams)
    line_stems = _stems(text)
    opt_stems = [_stems(o.text) for o in options]
    sw = _weights(opt_stems, line_stems)
    top = max(move_scores.values(), default=0.0)
    out = []
    for o, og, os_ in zip(options, opt_grams, opt_stems):
        sim = 0.6 * _cosine(line_grams, og, gw) + 0.4 * _cosine(line_stems, os_, sw)
        agree = 0.0
        mine = move_scores.get(o.move, 0.0)
        if top and mine >= top - 0.01:
            agree = MOVE_AGREES
        elif mine:
            agree = MOVE_AGREES * mine / top / 2
        elif any(frozenset((o.move, m)) in _NEAR for m, s in move_scores.items() if s >= top):
            agree = MOVE_NEAR
        out.append(Scored(o, round(sim + agree, 4), round(sim, 4)))
    out.sort(key=lambda s: -s.score)
    return out


# Moves whose form is what they say: "How was the trip over?" is the small talk on
# screen whatever the trip was. (Not an apology: "sorry to hear that" is not "sorry,
# but we need to settle the price today".)
FORM_MOVES = frozenset({"small_talk", "appreciation", "bare_refusal", "silence"})

# The frame of a listening line or a question, not what it is about: "it sounds like",
# "you seem", "tell me", "what does that mean".
_FRAME = frozenset(
    """
    sounds sound like seem seems seemed feel feels feeling hear hearing say saying
    said tell telling think mean means guess
    """.split()  # noqa: SIM905
)


@lru_cache(maxsize=4096)
def _content_grams(text: str) -> frozenset[str]:
    """4-grams of the stems of the words that carry content (not "what", "you",
    "that"), so a typo of a content word still meets it."""
    out: set[str] = set()
    for w in normal(text).split():
        w = w.strip("?.,!;:\"'()")
        if not w or w in STOP or w in _FRAME:
            continue
        padded = f" {stem(w)}"  # no end mark: endings ("-ing ") are not content
        out.update(padded[i : i + 4] for i in range(len(padded) - 3))
    return frozenset(out)


def shares_content(text: str, option: Option) -> bool:
    """Whether the line says any of the choice's content words (or a typo of one):
    "What matters most to you in all this?" says nothing of "What does that mean for
    the autumn plans?", however alike their form. A line with no content word at
    all ("No.", "Thanks.") is its form: it may be the choice of that form; so is
    small talk, thanks, a bare no or a silence, whatever its words."""
    if option.move in FORM_MOVES:
        return True
    mine = _content_grams(text)
    return not mine or not mine.isdisjoint(_content_grams(option.text))


def echoes(text: str, heard: Sequence[str]) -> bool:
    """Whether the line takes up any content word (or a typo of one) of what was heard:
    a paraphrase or summary that does not says back nothing they said."""
    mine = _content_grams(text)
    return any(not mine.isdisjoint(_content_grams(h)) for h in heard)


def relation(a: str, b: str) -> str:
    """same, near (see _NEAR) or other."""
    if a == b:
        return "same"
    return "near" if frozenset((a, b)) in _NEAR else "other"
