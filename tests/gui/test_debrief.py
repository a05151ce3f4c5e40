"""The debrief view: a played session's measures, ratings in words, turns that open the replay."""

from __future__ import annotations

import html
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from guiplay import expert_session, pushy_session, record
from PySide6.QtWidgets import QLabel

from negtrainer.gui import export
from negtrainer.gui.debrief import DebriefView, RatingBadge
from negtrainer.store.store import Store


def shown(qtbot, services, sid: str) -> DebriefView:
    view = DebriefView(services)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=15000):
        view.show_session(sid)
    return view


def test_debrief_shows_the_metrics_of_a_played_session(qtbot, services, scenario):
    session = expert_session(scenario, learner="Ana")
    sid = record(services.store, session)
    view = shown(qtbot, services, sid)

    expected = session.debrief()
    assert [m.key for m in expected.metrics] == list(view.metric_rows)
    for m in expected.metrics:
        row = view.metric_rows[m.key]
        assert row["value"].text() == m.display
        assert row["reference"].text() == m.reference
        assert row["rating"].text().endswith(export.RATING_TEXT[m.rating])
    assert view.metric_rows["interests"]["value"].text() == "3 of 3"
    assert view.ending_frame.accessibleName() == f"Ending: {expected.ending['title']}"
    assert not view.expert_label.text().startswith("Expert path not computed")


def test_clicking_a_turn_emits_open_replay_with_the_session_and_turn(qtbot, services, scenario):
    session = expert_session(scenario, learner="Ana")
    sid = record(services.store, session)
    view = shown(qtbot, services, sid)

    chips = view.block_rows["two_way"]["turns"]
    turn = chips.turns[1]
    with qtbot.waitSignal(view.open_replay) as sig:
        chips.buttons[turn].click()
    assert sig.args == [sid, turn]
    assert chips.buttons[turn].accessibleName() == f"Open turn {turn} in the replay"


def test_ratings_carry_words_and_symbols_not_colour_alone(qtbot):
    for rating, word in (
        ("good", "Good"),
        ("fair", "Fair"),
        ("poor", "Poor"),
        ("n/a", "Not rated"),
    ):
        badge = RatingBadge(rating)
        qtbot.addWidget(badge)
        assert word in badge.text()
        assert badge.text()[0] in "✔◐✘–"
        assert badge.accessibleName() == f"Rating: {word}"


def test_a_walk_out_says_what_went_wrong_and_why(qtbot, services, scenario):
    sid = record(services.store, pushy_session(scenario, learner="Ana"))
    view = shown(qtbot, services, sid)

    assert view.ending_frame.property("role") == "banner-bad"
    assert view.metric_rows["competitive"]["rating"].rating == "poor"
    work_on = " ".join(w.text() for w in view.work_on.findChildren(QLabel))
    assert "Pressure invites pressure back" in work_on
    assert any("breaking the ice" in m for m in view.mistakes)


def test_without_an_expert_path_the_debrief_says_so_plainly(qtbot, services, scenario):
    session = pushy_session(scenario, learner="Ana")
    report = export.SessionReport.of("no-expert", session, expert=None)
    view = DebriefView(services)
    qtbot.addWidget(view)
    view.show_report(report)
    assert view.expert_label.text().startswith("Expert path not computed")


def test_an_unfinished_session_offers_to_resume(qtbot, services, scenario):
    sid = record(services.store, expert_session(scenario, learner="Ana"), upto=3)
    view = shown(qtbot, services, sid)
    assert view.ending_frame.accessibleName() == "Ending: not finished"
    with qtbot.waitSignal(view.resume_requested) as sig:
        view.resume_button.click()
    assert sig.args == [sid]


def test_export_buttons_write_the_debrief_with_the_transcript(qtbot, services, scenario, tmp_path):
    session = expert_session(scenario, learner="Ana")
    sid = record(services.store, session)
    services.store.add_note(sid, 2, "She warmed up here.")
    view = shown(qtbot, services, sid)

    target = tmp_path / "debrief.html"
    view.export("html", target)
    qtbot.waitUntil(lambda: target.exists() and view.status.isVisible(), timeout=10000)
    text = target.read_text(encoding="utf-8")
    assert "Joint value created" in text
    assert "She warmed up here." in text
    assert html.escape(session.state.log[0]["said"], quote=True) in text


def test_in_the_window_a_turn_in_the_debrief_opens_the_replay_there(
    qtbot, launch, tmp_db, scenario
):
    store = Store.open(tmp_db)
    sid = record(store, expert_session(scenario, learner="Ana"))
    store.close()

    window = launch()
    window.open_debrief(sid)
    debrief = window.view("debrief")
    qtbot.waitUntil(lambda: debrief.report is not None, timeout=15000)
    assert window.current == "debrief"
    turn = debrief.metric_rows["open_questions"]["turns"].turns[0]
    debrief.metric_rows["open_questions"]["turns"].buttons[turn].click()
    replay = window.view("replay")
    qtbot.waitUntil(lambda: replay.data is not None and replay.turn == turn, timeout=15000)
    assert window.current == "replay"


def test_takeaways_name_the_turn_and_try_it_from_here_branches_just_before_it(
    qtbot, services, scenario
):
    session = pushy_session(scenario, learner="Ana")
    sid = record(services.store, session)
    view = shown(qtbot, services, sid)
    takeaways = session.debrief().takeaways
    assert takeaways, "a session of pressure draws takeaways"
    first = takeaways[0]
    text = " ".join(w.text() for w in view.findChildren(QLabel))
    assert f"Turn {first['turn']}" in text and first["question"] in text
    from PySide6.QtWidgets import QPushButton

    button = view.findChild(QPushButton, f"TryFrom{first['turn']}")
    with qtbot.waitSignal(view.branch_started, timeout=15000) as sig:
        button.click()
    new_id = sig.args[0]
    branched = services.store.session_at(new_id)
    assert branched.state.turn == first["turn"] - 1 and not branched.ended
    assert [r["input"] for r in branched.state.log] == [
        r["input"] for r in session.state.log[: first["turn"] - 1]
    ]


def test_a_reflection_answer_is_kept_with_the_sessions_notes(qtbot, services, scenario):
    session = pushy_session(scenario, learner="Ana")
    sid = record(services.store, session)
    view = shown(qtbot, services, sid)
    first = session.debrief().takeaways[0]
    from PySide6.QtWidgets import QLineEdit

    box = next(
        e for e in view.findChildren(QLineEdit) if e.accessibleName().endswith(first["question"])
    )
    box.setText("I wanted to look strong; I should have asked about the plant.")
    with qtbot.waitSignal(view.answer_kept, timeout=15000):
        box.returnPressed.emit()
    notes = services.store.notes(sid)
    assert any(n.turn == first["turn"] and "asked about the plant" in n.text for n in notes)


def test_the_other_sides_brief_and_walkaway_are_shown_after_play(qtbot, services, scenario):
    session = expert_session(scenario, learner="Ana")
    sid = record(services.store, session)
    view = shown(qtbot, services, sid)
    text = " ".join(w.text() for w in view.findChildren(QLabel))
    assert scenario.spec.counterpart.confidential_brief[:60] in text
    assert "walk-away" in text


def test_the_handout_is_two_a4_pages_with_takeaways_chart_and_the_other_side(
    qtbot, services, scenario, tmp_path
):
    import shutil
    import subprocess

    import pytest

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    session = pushy_session(scenario, learner="Ana")
    sid = record(services.store, session)
    report = export.load_report(services.store, sid)
    path = export.write_handout(report, tmp_path / "handout.pdf")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    import re

    assert re.search(r"^Pages:\s+2$", info.stdout, re.MULTILINE) and "A4" in info.stdout
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    d = report.debrief
    from negtrainer.engine.takeaways import heading

    assert heading(len(d.takeaways)) in text and "Trust, turn by turn" in text
    for t in d.takeaways:
        assert f"Turn {t['turn']}" in text and t["question"][:40] in text
    assert "The other side" in text and "Their walk-away" in text
    brief = " ".join(scenario.spec.counterpart.confidential_brief.split()[:6])
    assert brief in " ".join(text.split())
    # Words are never broken across lines inside a table cell.
    assert "communica tion" not in text and "T u r n" not in text


def test_an_objective_that_did_not_apply_is_shown_as_not_applicable_not_failed(qtbot, services):
    from negtrainer.engine.loader import load_scenario
    from negtrainer.engine.session import Session

    root = Path(__file__).resolve().parents[2]
    built_in = load_scenario(root / "scenarios" / "packaging-renewal.yaml")
    session = Session.start(built_in, 3, "warm", "Ana")
    for cid in ("small_talk_drive", "ask_builders", "label_nervous", "ask_year"):
        session.choose(cid)  # no promise made
    session.offer(
        {"price": "€0.36", "volume": "2.8M trays", "payment": "30 days", "term": "3 years"}
    )
    assert session.ended and not session.state.promises
    view = shown(qtbot, services, record(services.store, session))
    texts = [w.text() for w in view.findChildren(QLabel)]
    kept = [t for t in texts if "Do what you said you would" in t]
    assert kept and all(t.startswith("– ") and "not applicable" in t for t in kept)
