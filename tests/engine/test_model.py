from typing import get_args

from negtrainer.engine.model import MoveName, SkillName
from negtrainer.engine.moves import MOVES
from negtrainer.engine.skills import SKILLS


def test_the_model_names_every_move_and_skill_of_the_catalogues():
    assert list(get_args(MoveName)) == list(MOVES)
    assert list(get_args(SkillName)) == list(SKILLS)


def test_every_move_has_a_known_group_and_stance():
    from negtrainer.engine.moves import GROUPS

    for move in MOVES.values():
        assert move.group in GROUPS and move.stance in (-1, 0, 1)
