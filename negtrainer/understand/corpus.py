"""Reading a labelled corpus of typed lines (tests/data/understand/corpus.txt).

    @ scenario/node
    choice id or none | move type | the typed line

The held-back test split is fixed by a hash of each line's text, so nobody
can move a line into or out of it by reordering the file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from negtrainer.understand.match import Option

TEST_SHARE = 3  # in 10 lines are held back


@dataclass(frozen=True)
class Labelled:
    block: str  # scenario/node
    choice: str  # a choice id, or "none"
    move: str
    text: str
    line: int

    @property
    def split(self) -> str:
        h = hashlib.blake2b(self.text.encode(), digest_size=4).digest()
        return "test" if h[0] % 10 < TEST_SHARE else "train"


def read_corpus(path: Path) -> list[Labelled]:
    out: list[Labelled] = []
    block = ""
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            block = line[1:].strip()
            continue
        parts = [p.strip() for p in line.split("|", 2)]
        if len(parts) != 3 or not block:
            raise ValueError(f"{path.name}:{n}: write 'choice | move | text' under an @ line")
        out.append(Labelled(block, parts[0], parts[1], parts[2], n))
    return out


def read_nodes(path: Path) -> dict[str, list[Option]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        key: [Option(c["id"], c["text"], c["move"], tuple(c.get("topics", ()))) for c in choices]
        for key, choices in data["nodes"].items()
    }


@dataclass
class Scores:
    """How well understanding did on labelled lines."""

    lines: int = 0
    move_right: int = 0  # the move played (a matched choice's, else the line's own)
    rule_right: int = 0  # the classifier alone, before matching
    with_choice: int = 0
    top1: int = 0  # the intended choice ranked first
    top3: int = 0
    matched_right: int = 0  # played the intended choice at once
    matched_wrong: int = 0  # played another choice at once
    nones: int = 0
    none_kept: int = 0  # a line meant for no choice played no choice
    none_verdict: int = 0  # ...and was not even offered as "did you mean"
    confusion: dict[tuple[str, str], int] | None = None

    def macro_f1(self) -> float:
        assert self.confusion is not None
        labels = {a for a, _ in self.confusion} | {b for _, b in self.confusion}
        f1s = []
        for m in sorted(labels):
            tp = self.confusion.get((m, m), 0)
            fp = sum(n for (a, b), n in self.confusion.items() if b == m and a != m)
            fn = sum(n for (a, b), n in self.confusion.items() if a == m and b != m)
            if tp + fp + fn == 0:
                continue
            f1s.append(2 * tp / (2 * tp + fp + fn))
        return sum(f1s) / len(f1s) if f1s else 0.0


def evaluate(items: list[Labelled], nodes: dict[str, list[Option]]) -> Scores:
    from negtrainer.understand import understand
    from negtrainer.understand.classify import classify

    sc = Scores(confusion={})
    assert sc.confusion is not None
    for x in items:
        options = nodes[x.block]
        u = understand(x.text, options)
        sc.lines += 1
        sc.move_right += u.move == x.move
        sc.rule_right += classify(x.text).move == x.move
        sc.confusion[(x.move, u.move)] = sc.confusion.get((x.move, u.move), 0) + 1
        ranked = [c.id for c in u.candidates]
        if x.choice == "none":
            sc.nones += 1
            sc.none_kept += u.verdict != "match"
            sc.none_verdict += u.verdict in ("none", "rephrase")
        else:
            sc.with_choice += 1
            sc.top1 += ranked[:1] == [x.choice]
            sc.top3 += x.choice in ranked[:3]
            if u.verdict == "match":
                sc.matched_right += u.choice == x.choice
                sc.matched_wrong += u.choice != x.choice
    return sc
