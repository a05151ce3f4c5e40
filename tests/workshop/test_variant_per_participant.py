"""An exercise whose counterpart is drawn per participant."""

from roomplay import workshop_with_exercise

from negtrainer.store import Store
from negtrainer.workshop import service


def test_a_counterpart_drawn_per_participant_is_the_same_each_time_they_play(tmp_path):
    with Store.open(tmp_path / "f.db", backup_every_hours=None) as store:
        w = workshop_with_exercise(store)
        ex = w.exercises[0].model_copy(update={"variant": "random"})
        sc = service.scenario_of(store, ex)
        names = [f"P{k}" for k in range(12)]
        drawn = {who: service.variant_for(w, ex, who, sc) for who in names}
        assert all(service.variant_for(w, ex, who, sc) == drawn[who] for who in names)
        assert all(service.variant_for(w, ex, who.lower(), sc) == drawn[who] for who in names)
        # Drawn, not one for all: a room of twelve meets more than one personality.
        assert len(set(drawn.values())) > 1
