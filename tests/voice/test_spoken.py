"""Stage directions are read on screen, not spoken in the counterpart's voice."""

import pytest

from negtrainer.spoken import spoken


@pytest.mark.parametrize(
    ("shown", "said"),
    [
        ("(She pours the last of the tea.) Right. Where were we.", "Right. Where were we."),
        ("Anxious? (He looks at the boxes.) No. It's a cabinet.", "Anxious? No. It's a cabinet."),
        ("Days, fine. Nights... (He stops.)", "Days, fine. Nights..."),
        ("I wouldn't say dreading. (He would.)", "I wouldn't say dreading."),
        ("Shall we get straight to the numbers?", "Shall we get straight to the numbers?"),
        ("(Say nothing. Give her room.)", ""),
        ("(No answer.)", ""),
        ("...(He looks at the window.)", ""),
        ("", ""),
    ],
)
def test_what_is_said_aloud_is_the_line_without_its_stage_directions(shown, said):
    assert spoken(shown) == said


def test_an_unclosed_bracket_is_said_as_written():
    assert spoken("Well (I mean it") == "Well (I mean it"
