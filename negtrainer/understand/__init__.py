"""Understanding a line the learner typed in their own words, offline.

    from negtrainer.understand import Option, understand
    u = understand("what would a good year look like for you?", options)
    u.verdict      # "match" | "unsure" | "none" | "rephrase"
    u.choice       # the matched choice id when verdict is "match"
    u.move         # a move name from the catalogue (negtrainer.engine.moves)
    u.candidates   # the closest choices, best first
    u.offer        # terms read from the words, when the line is an offer

Pure Python and rules over the words; nothing is fetched, trained or loaded
from disk, so the first call costs milliseconds (see bench/bench_understand.py
and docs/understanding.md for how this was chosen and measured).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from negtrainer.engine.moves import MOVES
from negtrainer.understand.classify import classify, cue_stems
from negtrainer.understand.match import Option, rank, relation, shares_content
from negtrainer.understand.offers import IssueTerms, read_offer
from negtrainer.understand.text import STOP, clean, content_stems, stem, words

__all__ = ["Candidate", "IssueTerms", "Option", "Understanding", "understand"]

# Tuned on the training part of tests/data/understand/corpus.txt only (a grid
# search that weighs a wrong match three times a right one): how similar the
# words must be for a confident match, by how the choice's move relates to the
# move the line reads as. A line that reads as another kind of move must be
# very close in words to be taken as that choice.
MATCH_AT = {"same": 0.22, "near": 0.45, "other": 0.7}
MARGIN = 0.06  # over the next choice
UNSURE_AT = {"same": 0.12, "near": 0.2, "other": 0.35}  # below: fits nothing on screen


@dataclass(frozen=True)
class Candidate:
    id: str
    text: str
    move: str
    score: float


@dataclass(frozen=True)
class Understanding:
    text: str
    verdict: str  # match | unsure | none | rephrase
    move: str
    move_confidence: float
    choice: str | None = None
    confidence: float = 0.0
    candidates: tuple[Candidate, ...] = ()
    topics: tuple[str, ...] = ()
    offer: dict[str, str] | None = None
    missing: tuple[str, ...] = ()  # issues an offer in words left out
    scores: dict[str, float] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, object]:
        return {
            "text": self.text,
            "verdict": self.verdict,
            "move": self.move,
            "move_confidence": self.move_confidence,
            "choice": self.choice,
            "confidence": self.confidence,
            "candidates": [{"id": c.id, "score": c.score} for c in self.candidates],
            "topics": list(self.topics),
            "offer": self.offer,
            "missing": list(self.missing),
        }


def understand(
    text: str,
    options: Sequence[Option] = (),
    *,
    topics: Sequence[str] = (),
    issues: Sequence[IssueTerms] = (),
    known: Collection[str] = (),
) -> Understanding:
    """Read one typed line against the choices available now.

    ``topics``: topic ids the scenario knows, so a line that matches no choice
    still carries what it is about. ``issues``: the offer terms, so an offer
    in words can be read onto them. ``known``: the word stems of the scenario
    (see ``bridge.known_of``); a line with none of them, no common word and no
    move's cue is not understood ("rephrase") rather than played as an argument.
    """
    line = clean(text)
    guess = classify(line)
    move = guess.move if guess.move in MOVES else "argument"
    found = _topics(line, topics, options)
    offer, missing = (None, ())
    if issues:
        offer, missing = read_offer(line, issues)
    said = words(line.lower())
    if not line:  # nothing visible was typed (only spaces, controls or invisible marks)
        return Understanding(line, "rephrase", move, 0.0, topics=found)
    if not said and move != "silence":
        return Understanding(line, "rephrase", move, 0.0, topics=found)
    if said and known and not offer and _unknown(said, known):
        return Understanding(line, "rephrase", move, 0.0, topics=found)
    ranked = rank(line, options, guess.scores)
    cands = tuple(
        Candidate(r.option.id, r.option.text, r.option.move, r.text_similarity) for r in ranked[:3]
    )
    common: dict[str, Any] = {
        "text": line,
        "move_confidence": guess.confidence,
        "candidates": cands,
        "topics": found,
        "offer": offer,
        "missing": missing,
        "scores": guess.scores,
    }
    if ranked:
        best = ranked[0]
        sim = best.text_similarity
        second = max((r.text_similarity for r in ranked[1:]), default=0.0)
        kin = relation(best.option.move, move)
        said = shares_content(line, best.option)
        if sim >= MATCH_AT[kin] and sim - second >= MARGIN and said:
            conf = min(1.0, 0.6 + (sim - MATCH_AT[kin]) + (sim - second))
            return Understanding(
                verdict="match",
                move=best.option.move,
                choice=best.option.id,
                confidence=round(conf, 3),
                **common,
            )
        if sim >= UNSURE_AT[kin]:
            conf = min(0.59, sim / MATCH_AT[kin] * 0.5)
            return Understanding(verdict="unsure", move=move, confidence=round(conf, 3), **common)
    if (
        guess.scores.keys() == {"argument"}
        and guess.scores["argument"] <= 1.0
        and len(content_stems(line)) < 2
    ):
        return Understanding(verdict="rephrase", move=move, **common)
    return Understanding(verdict="none", move=move, confidence=guess.confidence, **common)


def _unknown(said: list[str], known: Collection[str]) -> bool:
    """No word of the line is a common one, a number, a move's cue or one the
    scenario uses: a typo, another language or keyboard noise ("asdf qwer?")."""
    cues = cue_stems()
    for w in said:
        if w in STOP or any(ch.isdigit() for ch in w):
            return False
        s = stem(w)
        if s in known or s in cues:
            return False
    return True


def _topics(line: str, known: Sequence[str], options: Sequence[Option]) -> tuple[str, ...]:
    vocab = list(dict.fromkeys([*known, *(t for o in options for t in o.topics)]))
    stems = set(content_stems(line))
    out = []
    for topic in vocab:
        parts = [stem(p) for p in topic.lower().replace("-", "_").split("_") if p]
        if parts and all(p in stems for p in parts):
            out.append(topic)
    return tuple(out)
