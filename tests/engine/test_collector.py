import gc

from negtrainer.engine.collector import fewer_collections


def test_holders_only_raise_the_thresholds_and_the_last_to_leave_puts_them_back():
    """A search inside a room's collection (or beside it in another thread) never lowers
    what the other asked for, and the process's own thresholds come back at the end."""
    before = gc.get_threshold()
    with fewer_collections(10_000, 50, 100):
        assert gc.get_threshold() == (
            max(before[0], 10_000),
            max(before[1], 50),
            max(before[2], 100),
        )
        with fewer_collections(50_000):
            assert gc.get_threshold()[0] == max(before[0], 50_000)
            assert gc.get_threshold()[1:] == (max(before[1], 50), max(before[2], 100))
        assert gc.get_threshold()[0] >= 10_000  # still inside the outer one
    assert gc.get_threshold() == before
