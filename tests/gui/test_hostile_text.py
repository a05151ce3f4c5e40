"""No widget renders markup from data: scenario, learner, notes and sessions (issue 12).

A shared scenario titled ``<img src=...>`` used to abort the window, and an
imported session or learner with such text made it abort at every start. Every
view is driven here with a scenario whose every text, a learner name and a note
carry markup; whatever a widget shows must show that markup as typed.
"""

from __future__ import annotations

import copy
import json
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from typing import Any

import pytest
from guiplay import SCENARIO, record
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import Qt as QtGuiNs
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from negtrainer.engine.loader import load_scenario
from negtrainer.engine.session import Session

MARK = "HX"
HOSTILE = f'<b>{MARK}</b><img src="hx-missing.png"><a href="x">&amp;</a>'
TEXT_KEYS = {
    "title",
    "summary",
    "text",
    "label",
    "role",
    "name",
    "public_brief",
    "confidential_brief",
    "description",
    "unavailable",
    "lesson",
}
LONG_KEYS = {"text", "summary", "public_brief", "confidential_brief"}  # up to 4000 characters


def _poison(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _poison(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(v, key) for v in value]
    limit = 4000 if key in LONG_KEYS else 300
    if isinstance(value, str) and key in TEXT_KEYS and len(value) + len(HOSTILE) < limit:
        return value + " " + HOSTILE
    return value


def hostile_scenario_text() -> str:
    data = _poison(copy.deepcopy(load_scenario(SCENARIO).canonical))
    data["id"] = "hostile"
    return json.dumps(data)  # JSON is YAML


def rendered(text: str, fmt: Qt.TextFormat) -> str:
    """What a person sees of ``text`` shown in this format."""
    if fmt == Qt.TextFormat.PlainText or (
        fmt == Qt.TextFormat.AutoText and not QtGuiNs.mightBeRichText(text)
    ):
        return text
    doc = QTextDocument()
    if fmt == Qt.TextFormat.MarkdownText:
        doc.setMarkdown(text)
    else:
        doc.setHtml(text)
    return doc.toPlainText()


def problems_in(root: QWidget) -> list[str]:
    found: list[str] = []

    def check(what: str, shown: str) -> None:
        if MARK in shown and shown.count(MARK) != shown.count(f"<b>{MARK}"):
            found.append(f"{what}: {shown[:120]!r}")

    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        name = f"{type(w).__name__}({w.objectName() or w.accessibleName()})"
        if w.toolTip():
            check(f"tooltip of {name}", rendered(w.toolTip(), Qt.TextFormat.AutoText))
        if isinstance(w, QLabel):
            check(name, rendered(w.text(), w.textFormat()))
        elif isinstance(w, (QTextEdit, QPlainTextEdit)):
            check(name, w.toPlainText())
        elif isinstance(w, (QAbstractItemView, QComboBox)):
            model = w.model()
            if model is None:
                continue
            try:
                columns = model.columnCount(QModelIndex())
            except TypeError:  # a list model
                columns = 1
            for r in range(min(model.rowCount(QModelIndex()), 200)):
                for c in range(columns):
                    ix = model.index(r, c)
                    tip = model.data(ix, Qt.ItemDataRole.ToolTipRole)
                    if isinstance(tip, str):
                        check(f"item tooltip in {name}", rendered(tip, Qt.TextFormat.AutoText))
    return found


@pytest.fixture
def hostile_window(launch, scratch_places, tmp_db):
    (scratch_places / "hostile.yaml").write_text(hostile_scenario_text(), encoding="utf-8")
    from negtrainer.store.store import Store

    sc = load_scenario(scratch_places / "hostile.yaml")
    learner = f"<b>{MARK}</b> <img src=x>"
    with Store.open(tmp_db, backup_every_hours=None) as store:
        variant = next(iter(sc.spec.counterpart.variants))
        from negtrainer.engine.analysis import expert_path

        path = expert_path(sc, variant)
        done = Session.replay(sc, 0, variant, path["inputs"], learner)
        finished = record(store, done, learner)
        record(store, done, learner, upto=3)
        store.add_note(finished, 1, f"note {HOSTILE}")
    window = launch(db=tmp_db)
    window.resize(1400, 900)
    window.show()
    return window, finished


def test_every_view_shows_markup_from_data_as_plain_text(qtbot, hostile_window, drive):
    window, finished = hostile_window
    assert window.services.settings is not None
    seen: dict[str, list[str]] = {}

    def look(view: str) -> None:
        QApplication.processEvents()
        seen[view] = problems_in(window)

    look("library")
    window.open_brief("hostile")
    look("brief")
    play = drive.start(
        window, "hostile", next(iter(window.services.scenario("hostile").spec.counterpart.variants))
    )
    if hasattr(play, "coach_button"):
        play.coach_button.setChecked(True)
    first = next(b for b in play.buttons if b.choice.available)
    drive.click(play, first.choice.id)
    look("play")
    window.show_page("history")
    qtbot.waitUntil(lambda: window.view("history").model.rowCount() >= 2, timeout=10000)
    look("history")
    window.open_debrief(finished)
    qtbot.waitUntil(
        lambda: MARK in " ".join(w.text() for w in window.view("debrief").findChildren(QLabel)),
        timeout=10000,
    )
    look("debrief")
    window.open_replay(finished, 1)
    qtbot.waitUntil(
        lambda: (
            MARK in " ".join(w.toPlainText() for w in window.view("replay").findChildren(QTextEdit))
        ),
        timeout=10000,
    )
    look("replay")
    window.show_page("settings")
    look("settings")
    window.show_page("library")
    look("library again")
    bad = {k: v for k, v in seen.items() if v}
    assert not bad, json.dumps(bad, indent=1)


@pytest.mark.parametrize(
    "scores",
    [
        '{"metrics": 5}',
        '{"end_trust": "100", "value": 3}',
        '{"metrics": [5, {"key": "open_questions", "value": []}]}',
        "[" * 900 + "]" * 900,
        "not json",
    ],
)
def test_history_shows_and_sorts_sessions_whatever_their_stored_scores(
    qtbot, services, scenario, scores
):
    from guiplay import expert_session

    from negtrainer.gui.history import HistoryView

    store = services.store
    sid = record(store, expert_session(scenario), "Ana")
    record(store, expert_session(scenario), "Ana", upto=2)
    store.conn.execute("UPDATE sessions SET scores = ? WHERE id = ?", (scores, sid))
    store.conn.commit()
    view = HistoryView(services)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    for col in range(view.model.columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            view.proxy.sort(col, order)
            for r in range(view.model.rowCount()):
                view.model.data(view.model.index(r, col))
    assert view.model.rowCount() == 2


def test_a_table_model_that_fails_on_a_value_shows_nothing_instead_of_raising(qtbot):
    from negtrainer.gui.models.table import ListTableModel

    class Broken(ListTableModel):
        HEADERS = ("a",)

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            if role == Qt.ItemDataRole.ToolTipRole:
                return "<b>HX</b>"
            raise TypeError("a stored value of the wrong type")

    model = Broken()
    model._reset([object()])
    assert model.data(model.index(0, 0)) is None
    assert "&lt;b&gt;HX" in model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)


def test_a_counterpart_name_with_markup_heads_the_counter_offer_as_plain_text(qtbot):
    from types import SimpleNamespace

    from PySide6.QtCore import Qt

    from negtrainer.gui.offer_builder import OfferBuilder

    builder = OfferBuilder()
    qtbot.addWidget(builder)
    issue = SimpleNamespace(id="price", label="Price", options=[SimpleNamespace(label="€1", you=3)])
    builder.set_counter({"price": "€1"}, "<i>Ann</i>", [issue])
    assert builder.counter_title.textFormat() == Qt.TextFormat.PlainText
    assert builder.counter_title.text() == "<I>ANN</I>'S COUNTER-OFFER"
