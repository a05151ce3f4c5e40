"""The terminal player: briefs, lines, numbered choices, offers, a text debrief.

Input, typed or scripted, one per line: see ``HELP`` (the player shows it on "help").
Blank lines and lines starting with # are skipped.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from negtrainer.engine.session import ChoiceUnavailable, Session
from negtrainer.report import debrief_text, wrap

# What one can type, as the player shows it on "help".
HELP = """You can type:
    3                 the third choice (numbers as shown)
    ask_year          a choice by its id
    offer price=€0.38 volume=2  an offer: option labels or 1-based option numbers
    accept            accept the counterpart's standing counter-offer
    quit              stop here (the session stays unfinished)
    help              what you can type
    anything else     your own words: understood offline and played as the
                      choice that says the same ("Heard as: …"), or offered
                      as a/b/c to pick from, or played as a move of its own
    undo              take back the line just understood (before playing on)"""


def _may_take_back(item: dict[str, Any]) -> bool:
    from negtrainer.understand import bridge  # (typed words only: kept off start-up)

    return bridge.may_take_back(item)


class BadInput(ValueError):
    pass


def typed_number(text: str) -> int | None:
    """A position typed as digits (3), or None. A number longer than any list is 0, which
    every range refuses: Python will not even read one of thousands of digits."""
    if not (text.isascii() and text.isdigit()):
        return None
    return int(text) if len(text) <= 9 else 0


def parse_input(line: str, session: Session) -> dict[str, Any] | None:
    """Turn one input line into an engine input; None means quit."""
    text = line.strip()
    low = text.lower()
    if low in ("q", "quit", "exit"):
        return None
    if low in ("a", "accept"):
        return {"accept": "counter"}
    if text in {c.id for c in session.choices}:
        return {"choice": text}
    if low == "offer" or low.startswith("offer "):
        terms: dict[str, str | int] = {}
        try:
            parts = shlex.split(text[5:])
        except ValueError as e:
            raise BadInput(f"cannot read the offer: {e}") from None
        issues = {i.id: i for i in session.issues}
        for part in parts:
            key, sep, value = part.partition("=")
            if not sep or key not in issues:
                raise BadInput(
                    f"write offers as issue=option (quote options with spaces, or "
                    f"give their numbers: volume=2); issues: {', '.join(issues)}"
                )
            labels = [o.label for o in issues[key].options if o.available]
            n = typed_number(value)
            if n is not None and value not in labels:
                if not 1 <= n <= len(labels):
                    raise BadInput(f"{key} has options 1 to {len(labels)}")
                terms[key] = labels[n - 1]  # numbered as shown (locked options are not)
            else:
                terms[key] = value
        missing = [i for i in issues if i not in terms]
        standing = session.counter_offer
        if missing and standing:
            # Terms left out stay as in their standing counter-offer (the window's offer
            # builder starts from it too).
            terms.update({i: standing[i] for i in missing})
        elif missing:
            raise BadInput(
                f"an offer names every issue; add {', '.join(missing)} "
                f"(e.g. offer {' '.join(f'{i}=1' for i in issues)})"
            )
        return {"offer": terms}
    choices = session.choices
    n = typed_number(text)
    if n is not None:
        if not choices:
            raise BadInput("there is nothing to choose here")
        if not 1 <= n <= len(choices):
            raise BadInput(f"choose a number from 1 to {len(choices)}")
        return {"choice": choices[n - 1].id}
    return {"own_words": text}


class TerminalPlayer:
    def __init__(
        self,
        session: Session,
        out: TextIO = sys.stdout,
        driver: Any = None,
        show_briefs: bool = True,
        kept: str | Callable[[], str] = "The session is kept as unfinished.",
    ):
        self.session = session
        # What happens to a session that stops early, as the learner is told (a
        # callable is asked at the end, when whether it was saved is known).
        self._kept = kept
        self.out = out
        # The driver applies inputs; a store recorder can stand in for the session.
        self.driver = driver or session
        self.show_briefs = show_briefs
        self.pending: dict[str, dict[str, Any]] = {}  # a/b/c/o/y -> input, after a typed line
        self.can_take_back = False
        self._script = False  # a --script file: a line that cannot be played stops it

    def p(self, text: str = "") -> None:
        print(text, file=self.out)

    def intro(self) -> None:
        spec = self.session.scenario.spec
        cp = spec.counterpart
        self.p(f"== {spec.title} ==")
        self.p(wrap(spec.summary, ""))
        if self.show_briefs:
            self.p("")
            self.p(f"You are: {spec.learner.role}")
            self.p(wrap(spec.learner.public_brief))
            self.p("Confidential (only you know this):")
            self.p(wrap(spec.learner.confidential_brief))
            self.p("")
            if spec.objectives:
                self.p("What to aim for:")
                for ob in spec.objectives:
                    self.p(wrap("- " + ob.text))
            self.p(f"You are meeting {cp.name}, {cp.role}.")
            self.p(wrap(cp.public_brief))
        self.p("")

    def show_turn(self) -> None:
        s = self.session
        name = s.scenario.spec.counterpart.name
        for line in s.lines:
            self.p(f"{name}: {line['text']}")
        if s.ended:
            return
        self.p("")
        for i, c in enumerate(s.choices, 1):
            # A locked choice is listed without its words, as in the window.
            text = c.text if c.available or c.text else "(not yet)"
            mark = "" if c.available else f"   (unavailable: {c.reason})"
            self.p(f"  {i}. {text}{mark}")
        if s.can_offer:
            parts = []
            for issue in s.issues:
                # Labels with spaces are quoted, as they must be typed (or give numbers).
                opts = "/".join(
                    f'"{o.label}"' if " " in o.label else o.label
                    for o in issue.options
                    if o.available
                )
                parts.append(f"{issue.id}={opts}")
            self.p(f"  offer {' '.join(parts)}")
        if s.counter_offer:
            terms = s.scenario.labelled(s.counter_offer)
            warn = "  -- worth less to you than your walk-away" if s.below_walkaway() else ""
            self.p(f"  accept   (their offer: {terms}){warn}")

    @property
    def kept(self) -> str:
        return self._kept() if callable(self._kept) else self._kept

    def stuck(self) -> bool:
        """A dead end in the scenario: nothing to choose, offer or accept, and no ending."""
        s = self.session
        return (
            not s.ended
            and not s.can_offer
            and not s.counter_offer
            and not any(c.available for c in s.choices)
        )

    def debrief(self) -> Any:
        from negtrainer.engine.analysis import expert_path
        from negtrainer.engine.scoring import debrief

        s = self.session
        return debrief(s, expert=expert_path(s.scenario, s.state.variant))

    def run(
        self,
        lines: Iterable[str],
        interactive: bool = False,
        script_name: str = "input",
        keep_going: bool = False,
    ) -> int:
        """Play ``lines``. A line that cannot be played stops a script (exit status 1,
        naming the line); at the prompt, or with ``keep_going`` (piped input), it gets
        the same message as at the prompt and play goes on."""
        self.intro()
        self.show_turn()
        self._script = not interactive and not keep_going
        number = 0
        for raw in lines:
            number += 1
            if self.session.ended or self.stuck():
                break
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            if interactive is False:
                self.p(f"> {raw.strip()}")
            try:
                played = self._play(raw)
            except (BadInput, ChoiceUnavailable) as e:
                # A script stops at a line it cannot play; at the prompt the learner types
                # again, and piped input reads on as if typed.
                if not interactive and not keep_going:
                    self.p(f"{script_name} line {number}: {e}")
                    return 1
                self.p(f"  ({e})")
                continue
            if played == "quit":
                self.p(f"Stopped. {self.kept}")
                return 0
            if played == "nothing":
                continue
            item, step = played
            self.p("")
            typed = item.get("typed")
            if typed is None:
                self.p(f"You: {step.said}")
            elif not _may_take_back(item):
                self.p(f"You: {typed}")
            elif typed != step.said:
                self.p(f"You: {typed}")
                self.p(f"  Heard as: {step.said}   (undo: take it back)")
                self.can_take_back = not self.session.ended
            else:
                self.p(
                    f"You: {step.said}   (heard as your own {step.move.replace('_', ' ')};"
                    " undo: take it back)"
                )
                self.can_take_back = not self.session.ended
            self.show_turn()
            if self.session.ended or self.stuck():
                break  # the debrief follows at once: no line is read (or prompted) first
        if self.stuck():
            self.p("")
            self.p(
                f"The scenario has a dead end here (node {self.session.state.node!r}): "
                "there is nothing you can say and no ending. Tell its author; "
                f"'negtrainer check' reports it. {self.kept}"
            )
            return 1
        if self.session.ended:
            ending = self.session.ending
            assert ending is not None
            self.p("")
            self.p(f"*** {ending.title} ***")
            self.p("")
            self.p(debrief_text(self.debrief()))
        else:
            self.p("")
            self.p(f"Input ended before the session did. {self.kept}")
        return 0

    def _play(self, raw: str) -> tuple[dict[str, Any], Any] | str:
        """One typed line: ``(item, step)`` once played, ``"quit"``, or ``"nothing"`` when
        it took a turn back or was not understood. Raises BadInput or ChoiceUnavailable."""
        word = raw.strip().lower()
        if word in ("help", "?") and raw.strip() not in {c.id for c in self.session.choices}:
            self.p(HELP)
            return "nothing"
        item = parse_input(raw, self.session)
        if item is None:
            return "quit"
        picked = self.pending.get(raw.strip().lower())
        undo = raw.strip().lower() in ("undo", "u") and self.can_take_back
        self.pending = {}
        self.can_take_back = False
        if picked is not None:
            item = picked
        elif undo:
            self.take_back()
            return "nothing"
        elif "own_words" in item and word in ("undo", "u"):
            raise BadInput("nothing to take back: undo takes back your own words just after them")
        elif "own_words" in item:
            if self._script and self._looks_like_an_id(item["own_words"]):
                # In a script a mistyped id is a mistake, not words of the learner's own.
                raise BadInput(f"{item['own_words']!r} is not a choice here")
            item = self.hear(item["own_words"])
            if item is None:
                return "nothing"
        return item, self.driver.apply(item)

    def _looks_like_an_id(self, text: str) -> bool:
        """One word that is a choice id somewhere in the scenario or is written like one
        (ask_price): nobody says that in their own words."""
        word = text.strip()
        if not word or any(ch.isspace() for ch in word):
            return False
        return "_" in word or word in self.session.scenario.choice_by_id

    # -- your own words (issue 16) --------------------------------------------------------
    def hear(self, text: str) -> dict[str, Any] | None:
        """The input for a typed line, or None after offering alternatives."""
        from negtrainer.understand import bridge

        s = self.session
        u = bridge.understand_in(s, text)
        r = bridge.read_line(s, u)
        if r.kind == "closed":
            raise BadInput(bridge.OFFERS_CLOSED)
        if r.kind == "offer" and r.terms is not None:
            said = s.scenario.labelled(r.terms)
            self.p(f"  Heard as an offer: {said}. Put it on the table? y / n")
            self.pending = {"y": {"offer": r.terms, "typed": u.text}}
            return None
        if r.kind == "offer":
            said = s.scenario.labelled(u.offer or {})
            self.p(
                f"  Heard as an offer: {said}; say {', '.join(u.missing)} too, or use "
                "`offer issue=option …`."
            )
            return None
        if r.kind == "rephrase":
            raise BadInput(f"{bridge.not_understood(u)}: say it another way, or pick a number")
        if r.kind == "unsure":
            self.p("  Did you mean:")
            for key, c in zip("abc", u.candidates):
                self.p(f"    {key}. {c.text}")
                self.pending[key] = bridge.own_words_input(u, c.id)
            self.p(f"    o. none of these: say it as my own {u.move.replace('_', ' ')}")
            self.pending["o"] = r.item
            return None
        return r.item  # a clear match, or a move of one's own

    def take_back(self) -> None:
        take = getattr(self.driver, "take_back", None)
        if take is not None:
            take()
        else:
            st = self.session.state
            before = Session.replay(
                self.session.scenario, st.seed, st.variant, self.session.inputs[:-1], st.learner
            )
            self.session.state = before.state
        self.p("  (Taken back. Say it again, or choose.)")
        self.show_turn()


def prompt_lines(out: TextIO) -> Iterable[str]:
    while True:
        try:
            yield input("> ")
        except EOFError:
            return
