"""Debrief handouts: one page per participant, with their last session of each exercise."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from roomplay import BAD, GOOD, play, workshop_with_exercise

from negtrainer.store import Store
from negtrainer.workshop import service


def test_handouts_give_each_participant_one_page_with_their_last_session(tmp_path):
    from negtrainer.gui import printables

    with Store.open(tmp_path / "f.db", backup_every_hours=None) as store:
        w = workshop_with_exercise(store)
        play(store, w, "e1", "Ana", BAD)
        play(store, w, "e1", "Ana", GOOD)
        play(store, w, "e1", "Ben", BAD)
        views = service.views(store, w)
    printables._app()
    body, _images = printables.handouts_html(w, views)
    pages = body.split(printables.BREAK)
    assert len(pages) == 2
    assert "Ana: your debrief" in pages[0] and "played it 2 times" in pages[0]
    assert "Ben: your debrief" in pages[1] and "played it" not in pages[1]
    last = [p for p in views[0].played if p.participant == "Ana"][-1]
    assert last.summary["outcome"] in pages[0]
