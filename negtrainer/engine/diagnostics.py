"""Scenario problems as data: a code, a place (file:line), a message and a fix."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]

# code -> (short name, default fix). The names make the catalogue greppable.
CODES: dict[str, tuple[str, str]] = {
    "NT001": ("Unreadable", "Check that the file exists and that you may read it."),
    "NT002": ("TooLarge", "Split the scenario or remove generated padding."),
    "NT003": ("NotText", "Save the file as UTF-8 text (most editors: 'Save with encoding')."),
    "NT004": ("YamlSyntax", "Fix the YAML at that line: check indentation, colons and quotes."),
    "NT005": ("DuplicateKey", "Remove or rename one of the two keys; YAML keeps only one."),
    "NT006": (
        "AliasNotAllowed",
        ("Write the value out in full; anchors (&) and aliases (*) are not supported."),
    ),
    "NT007": ("TooDeep", "Flatten the structure; scenarios never need this much nesting."),
    "NT009": (
        "OverLimit",
        ("Make the scenario smaller; the limits are in docs/authoring.md (Limits)."),
    ),
    "NT010": (
        "ControlCharacter",
        (
            "Remove the invisible control or text-direction "
            "character; type the text again if unsure."
        ),
    ),
    "NT008": ("NotAMapping", "A scenario file is a mapping: start with 'format: 2', 'id: ...'."),
    "NT101": ("UnknownKey", "Remove the key or fix its spelling; see docs/authoring.md."),
    "NT102": ("WrongValue", "Give a value of the kind shown; see docs/authoring.md."),
    "NT103": ("MissingKey", "Add the key; the template in docs/authoring.md has every one."),
    "NT201": ("DanglingReference", "Point it at a node or ending that exists, or add one."),
    "NT202": ("UnknownVariable", "Declare it under 'state:' or 'flags:', or fix the name."),
    "NT203": ("BadCondition", "Write the condition like: trust >= 50 and revealed.INTEREST_ID"),
    "NT204": ("DuplicateLineId", "Give every counterpart line its own id."),
    "NT205": ("DuplicateChoiceId", "Give every choice its own id."),
    "NT206": ("ValueListLength", "Give one value per option, in the same order as options."),
    "NT207": ("UnknownOption", "Use one of the issue's option labels exactly."),
    "NT208": ("UnknownInterest", "Use an interest id declared under 'interests:'."),
    "NT209": ("UnknownIssue", "Use an issue id declared under 'issues:'."),
    "NT210": ("NameClash", "Rename one: node and ending ids share one namespace."),
    "NT211": ("UnknownLook", "Use a value listed in docs/authoring.md (Looks)."),
    "NT212": ("PromiseNeverMade", "Add a choice with 'promise:' of that id before it."),
    "NT213": ("NoNegotiation", "Add a 'negotiation:' block to say how offers are judged."),
    "NT214": (
        "SilentChoice",
        ("Give the choice a 'reply:' or a 'next:' so the counterpart answers."),
    ),
    "NT215": ("EmptyNode", "Give the node 'say:' lines, and choices or an 'end:'."),
    "NT216": (
        "LockedFixedOffer",
        (
            "Add 'when: revealed.INTEREST' to the choice, or change the "
            "offer: it names an option locked by 'requires:'."
        ),
    ),
    "NT217": (
        "CounterWithoutTerms",
        ("Put {terms} in the counter line where the counterpart names its terms."),
    ),
    "NT218": (
        "EndsAtOnce",
        ("Loosen the ending's 'when:' so it does not already hold when the session starts."),
    ),
    "NT219": ("DuplicateScenarioId", "Give each scenario file its own 'id:'."),
    "NT301": ("UnreachableNode", "Link to it from a choice, or delete it."),
    "NT302": ("DeadEnd", "Add a choice that is always available, or an 'end:'."),
    "NT303": ("UnreachableEnding", "Make a path lead to it, or delete it."),
    "NT304": (
        "UnrevealableInterest",
        (
            "Lower its trust threshold or add a choice on its topics "
            "with an asking or listening move."
        ),
    ),
    "NT305": ("ExplorationBounded", "The scenario has very many states; results are partial."),
    "NT306": (
        "NoLineSays",
        (
            "Add a line without 'when:' as the last of 'say:', so the "
            "counterpart always has something to say."
        ),
    ),
    "NT307": (
        "BestDealTie",
        (
            "Make one deal clearly best for both (change a value by a "
            "point), so the expert path and the debrief agree on it."
        ),
    ),
    "NT308": (
        "UnknownTextValue",
        (
            "Compare with a value that exists (a variant id, a mood, "
            "a move, an option label); see the 'did you mean'."
        ),
    ),
    "NT310": (
        "ShortcutWins",
        (
            "Make the good ending depend on what was heard: a need to meet, an "
            "interest to build on, trust that cooperative-sounding words alone can't buy."
        ),
    ),
    "NT311": (
        "NoGoodPath",
        "Check that a listening path can meet the good ending's condition in every variant.",
    ),
    "NT309": (
        "FormatOne",
        (
            "Format 1 still plays; run 'negtrainer upgrade FILE' to move to "
            "format 2 (needs, walk-aways, tactics, line pools)."
        ),
    ),
}


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    file: str = ""
    line: int | None = None
    column: int | None = None
    fix: str = ""

    @property
    def name(self) -> str:
        return CODES.get(self.code, ("", ""))[0]

    def format(self) -> str:
        where = self.file or "<scenario>"
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        fix = self.fix or CODES.get(self.code, ("", ""))[1]
        return f"{where}: {self.severity} {self.code} {self.name}: {self.message}" + (
            f"\n    fix: {fix}" if fix else ""
        )

    def to_json(self) -> dict:
        d = asdict(self)
        d["name"] = self.name
        d["fix"] = self.fix or CODES.get(self.code, ("", ""))[1]
        return d


def diag(
    code: str,
    message: str,
    file: str = "",
    line: int | None = None,
    severity: Severity = "error",
    column: int | None = None,
    fix: str = "",
) -> Diagnostic:
    return Diagnostic(code, severity, message, file, line, column, fix)


class ScenarioError(Exception):
    """Loading failed; ``diagnostics`` says why (at least one error)."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        first = next((d for d in diagnostics if d.severity == "error"), diagnostics[0])
        super().__init__(first.format())
