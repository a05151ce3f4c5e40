"""Understanding typed lines offline (issue 16): move types, matching the choice on
screen, lines that fit nothing, offers in words, and the labelled corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from negtrainer.engine.moves import MOVES
from negtrainer.understand import IssueTerms, Option, understand
from negtrainer.understand.classify import classify
from negtrainer.understand.corpus import evaluate, read_corpus, read_nodes

DATA = Path(__file__).resolve().parents[1] / "data" / "understand"
TABLE = [
    Option(
        "ask_year",
        "Before we get to numbers: what would make this a good year for Corvex?",
        "open_question",
        ("year", "plans"),
    ),
    Option(
        "ask_payment",
        "How do payment terms land on your side? I've never asked.",
        "open_question",
        ("payment", "cash"),
    ),
    Option(
        "paraphrase_room",
        "So if I'm hearing you, you want to keep Harlow, but you're "
        "under pressure to show the new line pays.",
        "paraphrase",
        ("pressure", "volume"),
    ),
    Option("refuse_increase", "No. There won't be any increase.", "bare_refusal"),
    Option(
        "threat_tender",
        "If we can't agree today, I'll have three other suppliers quoting by Monday.",
        "threat",
    ),
]
PRICES = [
    IssueTerms("price", "Unit price", ("€0.42", "€0.40", "€0.38", "€0.36")),
    IssueTerms("volume", "Yearly volume", ("2.0M trays", "2.4M trays", "2.8M trays")),
    IssueTerms("payment", "Payment terms", ("60 days", "45 days", "30 days")),
    IssueTerms("term", "Contract length", ("1 year", "2 years", "3 years")),
]


@pytest.mark.parametrize(
    "line, move",
    [
        ("What matters most to you in this renewal?", "open_question"),
        ("Is the line running yet?", "closed_question"),
        ("You're doing fine without an increase, aren't you?", "leading_question"),
        ("So you need the new line to pay for itself.", "paraphrase"),
        ("You sound really worried about the board.", "emotion_label"),
        ("Let me sum up what we've agreed so far.", "summary"),
        ("I'm so sorry, we let you down on the forecast.", "apology"),
        ("Thank you for being so straight with us.", "appreciation"),
        ("Take it or leave it: forty cents.", "ultimatum"),
        ("(say nothing)", "silence"),
        ("No.", "bare_refusal"),
        ("Lovely weather today.", "small_talk"),
        ("Great coffee, by the way.", "small_talk"),
        ("I love what you have done with the office.", "small_talk"),
    ],
)
def test_the_move_type_is_read_from_the_form_of_the_line(line, move):
    assert classify(line).move == move


def test_a_line_saying_what_a_choice_says_is_matched_to_it_despite_typos_and_spelling():
    u = understand("how do paymnet terms work on your side?", TABLE)
    assert (u.verdict, u.choice, u.move) == ("match", "ask_payment", "open_question")
    u = understand(
        "so if I'm hearing you, you'd like to keep Harlow but you're under "
        "pressure to show the line pays",
        TABLE,
    )
    assert u.choice == "paraphrase_room"


def test_a_line_that_fits_no_choice_keeps_its_own_move_and_topics():
    u = understand(
        "What does your cash position look like after the investment?",
        TABLE,
        topics=["cash", "plant"],
    )
    assert u.verdict in ("none", "unsure") and u.choice is None
    assert u.move == "open_question" and "cash" in u.topics


def test_a_line_sharing_only_its_form_with_a_choice_is_never_played_as_that_choice():
    # Generic listening lines are the same shape as a topical choice; the outside
    # tester's bot won by typing them and being heard as the choice that reveals.
    table = [
        Option("plans", "What does that mean for the autumn plans?", "open_question"),
        Option("calm", "Sounds like things are calming down over there at least.", "paraphrase"),
        Option("carry", "And you're the one who has to answer for it.", "emotion_label"),
        Option("no", "No. Not fifteen. Not ten.", "bare_refusal"),
    ]
    for line in (
        "What matters most to you in all this?",
        "What would a good outcome look like for you?",
        "It sounds like that has been frustrating for you.",
    ):
        assert understand(line, table).verdict != "match", line
    assert understand("what does that mean for your autumn plans?", table).choice == "plans"
    assert understand("Sounds like things are calmng down", table).choice == "calm", "a typo"
    assert understand("No.", table).choice == "no", "a line of pure form: its choice"


def test_gibberish_asks_to_rephrase():
    assert understand("asdf", TABLE).verdict == "rephrase"


def test_a_line_of_invisible_characters_only_asks_to_rephrase_and_is_not_a_silence():
    assert understand("\u200b\u2066\u202e\x00 \x1b[2J", TABLE).verdict == "rephrase"
    assert understand("...", TABLE).move == "silence", "a typed pause is one"


def test_a_line_of_several_words_none_of_them_known_asks_to_rephrase():
    known = frozenset({"corvex", "volum", "payment"})  # stems the scenario uses
    for noise in ("asdf qwer", "blorf zzk?", "Sprechen Sie Deutsch?"):
        u = understand(noise, TABLE, known=known)
        assert u.verdict == "rephrase", noise
        assert understand(noise, TABLE).verdict != "rephrase", "only where the words are known"
    for line in ("Corvex volumes?", "How was Lisbon?", "Sounds exhausting.", "38 cents?"):
        assert understand(line, TABLE, known=known).verdict != "rephrase", line


def test_no_line_of_the_corpus_is_taken_for_noise_with_its_scenarios_words():
    from types import SimpleNamespace

    from negtrainer.engine.loader import try_load
    from negtrainer.paths import builtin_scenarios_dir
    from negtrainer.understand.bridge import known_of

    items = read_corpus(DATA / "corpus.txt")
    known = {}
    for sid in {x.block.split("/")[0] for x in items}:
        sc, _ = try_load(builtin_scenarios_dir() / f"{sid}.yaml")
        known[sid] = known_of(SimpleNamespace(scenario=sc))
    noise = [
        x.text
        for x in items
        if understand(x.text, (), known=known[x.block.split("/")[0]]).verdict == "rephrase"
        and understand(x.text, ()).verdict != "rephrase"
    ]
    assert noise == []


def test_an_offer_in_words_is_read_onto_the_offer_terms():
    u = understand("I could do 38 cents if you take 2.8 million", TABLE, issues=PRICES)
    assert u.move == "offer"
    assert u.offer == {"price": "€0.38", "volume": "2.8M trays"}
    assert u.missing == ("payment", "term")
    u = understand(
        "How about forty cents, 2.4 million, paid in 45 days, on a two year deal?",
        TABLE,
        issues=PRICES,
    )
    assert u.offer == {
        "price": "€0.40",
        "volume": "2.4M trays",
        "payment": "45 days",
        "term": "2 years",
    }


def test_every_move_read_is_a_move_of_the_catalogue():
    for x in read_corpus(DATA / "corpus.txt"):
        assert classify(x.text).move in MOVES


def test_the_corpus_is_labelled_with_catalogue_moves_and_choices_that_exist():
    items = read_corpus(DATA / "corpus.txt")
    nodes = read_nodes(DATA / "nodes.json")
    assert len(items) >= 400
    assert len({x.move for x in items}) >= 18
    for x in items:
        assert x.move in MOVES, x
        ids = {o.id for o in nodes[x.block]}
        assert x.choice == "none" or x.choice in ids, x


def test_on_the_held_back_lines_understanding_meets_the_issues_targets():
    items = [x for x in read_corpus(DATA / "corpus.txt") if x.split == "test"]
    sc = evaluate(items, read_nodes(DATA / "nodes.json"))
    assert sc.move_right / sc.lines >= 0.85
    assert sc.top1 / sc.with_choice >= 0.80
    assert sc.top3 / sc.with_choice >= 0.95
    assert sc.none_kept / sc.nones >= 0.8, "lines meant for no choice are not forced on one"
