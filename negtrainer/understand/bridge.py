"""What a front-end needs to understand a typed line in a running session.

Duck-typed on the engine's Session (``choices``, ``issues``, ``scenario``),
so this package stays apart from the engine the lead is rebuilding: only
choice ids, texts, moves and topics cross.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from negtrainer.understand import IssueTerms, Option, Understanding, understand
from negtrainer.understand.match import echoes
from negtrainer.understand.text import normal, stem, words

# Moves whose words may carry terms to put in the offer builder.
OFFER_MOVES = frozenset({"offer", "counter_offer", "concession", "ultimatum"})


def options_of(session: Any) -> list[Option]:
    """The choices the learner can say now, with their topics."""
    nodes = session.scenario.spec.nodes
    node = nodes.get(session.state.node)
    out = []
    for c in session.choices:
        if not c.available:
            continue  # never matched: its words are not on screen to be said
        topics: tuple[str, ...] = ()
        if node is not None and 0 <= c.index < len(node.choices):
            topics = tuple(getattr(node.choices[c.index], "topics", ()) or ())
        out.append(Option(c.id, c.text, c.move, topics))
    return out


def topics_of(session: Any) -> list[str]:
    out: list[str] = []
    for interest in getattr(session.scenario.spec, "interests", {}).values():
        out.extend(getattr(interest, "topics", ()) or ())
    return list(dict.fromkeys(out))


def issues_of(session: Any) -> list[IssueTerms]:
    if not getattr(session, "can_offer", False):
        return []
    return [
        IssueTerms(i.id, i.label, tuple(o.label for o in i.options if o.available))
        for i in session.issues
    ]


def known_of(session: Any) -> frozenset[str]:
    """The word stems the scenario uses anywhere (its lines, choices, brief, terms and
    topics): a typed line that shares none of them, and no common word, is noise.
    Made once per loaded scenario, which never changes."""
    sc = session.scenario
    found = sc.__dict__.get("_known_stems")
    if found is None:
        spec = sc.spec
        texts = [ln.text for ln, _where in sc.iter_lines()]
        for node in spec.nodes.values():
            texts.extend(c.text for c in node.choices)
        for issue in getattr(spec, "issues", {}).values():
            texts.append(issue.label)
            texts.extend(str(o) for o in issue.options)
        them, you = spec.counterpart, spec.learner
        texts += [spec.title, them.name, them.role, them.public_brief]
        texts += [you.role, you.public_brief, you.confidential_brief]
        texts.extend(topics_of(session))
        found = frozenset(stem(w) for t in texts for w in words(normal(t.replace("_", " "))))
        sc.__dict__["_known_stems"] = found
    return found


# Moves that say back what was heard: their topics count only if they take up its words.
SAYS_BACK = frozenset({"paraphrase", "summary"})


def heard_lately(session: Any, turns: int = 4) -> list[str]:
    """What the counterpart said in the last few turns (the turn log's lines, and the
    lines on screen now)."""
    st = session.state
    out = [str(ln.get("text", "")) for rec in st.log[-turns:] for ln in rec.get("lines", [])]
    out.extend(str(ln.get("text", "")) for ln in st.lines)
    return out


def understand_in(session: Any, text: str) -> Understanding:
    u = understand(
        text,
        options_of(session),
        topics=topics_of(session),
        issues=issues_of(session),
        known=known_of(session),
    )
    if u.move in SAYS_BACK and u.topics and not echoes(u.text, heard_lately(session)):
        # "So what I'm hearing is that this year has been hard", when they said nothing of
        # the kind: a paraphrase of nothing they said reaches no interest by its topic word.
        u = replace(u, topics=())
    return u


# Said where terms in words cannot go on the table, as the offer builder says it.
OFFERS_CLOSED = "This is not the moment to put an offer on the table: talk first, or pick a choice."


def offers_closed(session: Any, u: Understanding) -> bool:
    """Words that put an offer on the table, said where none can be made now: every
    front-end refuses them as the offer builder would, rather than play them as a
    move of their own (an offer with no terms)."""
    return (
        u.verdict != "match"
        and u.move in ("offer", "counter_offer")  # no terms are read while offers are closed
        and not getattr(session, "can_offer", False)
    )


def offer_terms(session: Any, u: Understanding) -> dict[str, str] | None:
    """An offer read from the words, with unsaid terms taken from the
    counterpart's standing counter-offer; None when it is not an offer or
    some term is still unsaid."""
    if u.verdict == "match" or u.move not in OFFER_MOVES or not u.offer:
        return None
    terms = dict(u.offer)
    counter = session.counter_offer or {}
    for iid in u.missing:
        if iid not in counter:
            return None
        terms[iid] = counter[iid]
    return terms


def not_understood(u: Understanding) -> str:
    """The start of what a front-end says to a line it asks to have said again."""
    return f"not sure what {u.text!r} means" if u.text else "nothing visible was typed"


def may_take_back(item: dict[str, Any]) -> bool:
    """Whether a turn just played may be taken back: words that were understood (and so
    may have been misheard), but not an offer, whose terms were read back and confirmed
    before they went on the table (an offer tried, answered and undone would be a free
    look at their hand)."""
    return "typed" in item and "offer" not in item


def own_words_input(u: Understanding, choice: str | None = None) -> dict[str, Any]:
    """The engine input for a typed line: as a choice, or as a move of its own."""
    if choice is not None:
        return {"choice": choice, "typed": u.text}
    return {"typed": u.text, "move": u.move, "topics": list(u.topics)}


@dataclass(frozen=True)
class Reading:
    """What a front-end does with a typed line, decided once for the window, the
    terminal and the JSON-lines interface; each only says it in its own way.

    ``kind``: "play" (``item``, a clear match), "closed" (an offer where none can be made:
    OFFERS_CLOSED), "offer" (terms in words; ``terms`` has every term, unsaid ones from
    the standing counter, or is None while ``u.missing`` are unsaid), "rephrase", "unsure"
    (``u.candidates`` to pick from, or ``item`` as a move of one's own) or "own" (``item``).
    """

    kind: str
    u: Understanding
    item: dict[str, Any] | None = None
    terms: dict[str, str] | None = None


def read_line(session: Any, u: Understanding) -> Reading:
    if u.verdict == "match" and u.choice is not None:
        return Reading("play", u, own_words_input(u, u.choice))
    if offers_closed(session, u):
        return Reading("closed", u)
    if u.offer and u.move in OFFER_MOVES:  # terms are read only while offers are open
        return Reading("offer", u, terms=offer_terms(session, u))
    if u.verdict == "rephrase":
        return Reading("rephrase", u)
    return Reading("unsure" if u.verdict == "unsure" else "own", u, own_words_input(u))
