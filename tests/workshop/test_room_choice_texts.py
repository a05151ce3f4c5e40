"""Choice texts listed out of any one session: the room's counts and the best and worst steps."""

import pytest

from negtrainer.workshop import aggregate, service
from negtrainer.workshop.model import Exercise


@pytest.fixture(autouse=True)
def fixed_library():
    """The built-in scenarios as shipped: their summaries say "{heard}"."""


def test_a_choice_that_says_what_was_heard_reads_as_plain_words_in_the_rooms_debrief():
    sc = service.load_scenario("packaging-renewal")
    node_id, cid = next(
        (node_id, cid)
        for node_id, node in sc.spec.nodes.items()
        for cid, ch in zip(sc.choice_ids.get(node_id, []), node.choices)
        if "{heard}" in ch.text
    )
    played = [
        aggregate.Played(f"s{n}", who, None, {"outcome": "Impasse", "choices": [[node_id, cid]]})
        for n, who in enumerate(("Ana", "Ben"))
    ]
    exercise = Exercise(
        id="e1", scenario_id=sc.spec.id, title=sc.title, content_hash="0" * 64, variant="warm"
    )
    view = aggregate.exercise_view(exercise, sc, played)
    (point,) = view.decisions
    said = [text for text, _ in point.counts] + list(view.choice_text.values())
    assert point.counts[0][0].startswith("Let me check I've got it: [what they had told you].")
    assert view.choice_text[cid] == point.counts[0][0]
    assert not [t for t in said if "{" in t or "}" in t]
