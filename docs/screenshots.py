"""Regenerate docs/screenshots/*.png: every view of the desktop program.

    python docs/screenshots.py            # offscreen, into docs/screenshots/
    python docs/screenshots.py --out DIR  # somewhere else

Runs on a scratch database and scratch settings (nothing of yours is touched),
plays the packaging-renewal scenario through the real window, and grabs each
view at 1280x800 (a few also at 1920x1080, in the dark and high-contrast
themes, and at projector text size). Views that are not built yet are shot as
their placeholder pages. Set QT_QPA_PLATFORM=xcb (and DISPLAY) for a real
window under Xvfb; the default is offscreen.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench import _common
from bench._common import act_in_window, launch, script_for, silent_speaker, use_scratch_places

BROKEN = """format: 1
id: broken-example
title: A scenario with a typo
summary: Shows how the library reports a file it cannot load.
skills: [rapport]
difficulty: introductory
minutes: 5
learner:
  role: Buyer
  public_brief: x
  confidential_brief: x
counterpart:
  name: Sam
  role: Seller
  public_brief: x
  confidential_brief: x
  variants: {plain: {}}
start: opening
on_max_turns: done
nodes:
  opening:
    say:
      - {id: hi, text: "Hello."}
    choices:
      - {text: "Hi.", move: small_tlak, next: done}
endings:
  done: {kind: impasse, title: Done, text: Done.}
"""

MIDWAY = 6  # choices played before the midway and coach-mode shots


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="negtrainer-shots-"))
    (scratch / "scenarios").mkdir()
    (scratch / "scenarios" / "my-draft.yaml").write_text(BROKEN, encoding="utf-8")
    use_scratch_places(scratch / "scenarios", scratch)

    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter

    from negtrainer.gui import app as gui_app

    qapp = gui_app.create_app(["negtrainer"])
    window, ready = launch(qapp, scratch / "shots.db", speaker_factory=silent_speaker)

    def pump(seconds: float = 0.15) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            qapp.processEvents()
            time.sleep(0.01)

    def wait(cond, timeout: float = 15.0) -> None:
        _common.wait_until(qapp, cond, timeout, nap=0.005)

    def shot(name: str, size: tuple[int, int] = (1280, 800), dialog=None) -> None:
        window.resize(*size)
        pump()
        image = window.grab()
        if dialog is not None:
            dialog.adjustSize()
            pump()
            top = dialog.grab()
            painter = QPainter(image)
            painter.setOpacity(0.45)
            painter.fillRect(image.rect(), qapp.palette().shadow())
            painter.setOpacity(1.0)
            painter.drawPixmap(
                QPoint((image.width() - top.width()) // 2, (image.height() - top.height()) // 3),
                top,
            )
            painter.end()
        path = out / f"{name}.png"
        image.save(str(path))
        print(path)

    wait(lambda: ready)
    services = window.services
    done: list = []
    services.add_learner("Ana", lambda _l: done.append(1))
    wait(lambda: done)
    services.set_learner("Ana")
    _seed_history(services, wait)
    window.library.refresh()
    pump(0.4)
    shot("library")

    window.open_brief("packaging-renewal")
    shot("brief")
    # A broken file's brief shows its problems with their fixes.
    broken = next(e for e in services.scenarios if not e.ok)
    window.open_brief(broken.id)
    shot("brief-broken-scenario")

    window.open_brief("packaging-renewal")
    window.brief.variant.setCurrentIndex(window.brief.variant.findData("warm"))
    window.brief.start_button.click()
    wait(lambda: window.play.live is not None and window.current == "play")
    play = window.play
    shot("play-start")

    def step(item: dict) -> None:
        n = play.live.session.state.turn
        act_in_window(play, item)
        wait(lambda: play.live.session.state.turn > n and not play.busy)

    script = script_for(play.live.session)
    for item in script[:MIDWAY]:
        step(item)
    shot("play-midway")
    play.coach_button.setChecked(True)
    shot("play-coach")
    shot("play-coach-1920", (1920, 1080))
    countered = False
    for item in script[MIDWAY:]:
        step(item)
        if not countered and play.live.session.counter_offer is not None:
            shot("play-counter-offer")
            countered = True
    wait(lambda: play.live.session.ended and not play.busy)
    shot("play-ending")
    play.coach_button.setChecked(False)

    sid = play.live.id
    window.open_debrief(sid)
    # The debrief computes the expert path it measures against: wait for it to show.
    view = window.pages["debrief"]
    wait(
        lambda: (
            view.report is not None
            and view.report.session_id == sid
            and view.stack.currentWidget() is view.scroll
        ),
        120,
    )
    pump(0.5)
    shot("debrief")
    window.show_page("history")
    pump(1.0)
    shot("history")
    services.settings.set("voice/enabled", True)  # the replay's and settings' voice parts
    window.open_replay(sid, 4)
    pump(1.0)
    shot("replay")
    window.show_page("settings")
    pump(0.6)
    shot("settings")

    settings = services.settings
    settings.set("theme", "dark")
    window.show_page("library")
    shot("library-dark")
    window.show_page("play")
    shot("play-ending-dark")
    window.open_debrief(sid)
    view = window.pages["debrief"]
    wait(lambda: view.stack.currentWidget() is view.scroll, 120)
    pump(0.6)
    shot("debrief-dark")
    settings.set("theme", "high-contrast")
    settings.set("text_size", 150)
    window.show_page("library")
    shot("library-high-contrast-150", (1920, 1080))
    window.open_brief("packaging-renewal")
    window.brief.start_button.click()
    wait(lambda: window.current == "play" and play.live.id != sid)
    for item in script_for(play.live.session)[:4]:
        step(item)
    play.coach_button.setChecked(True)
    shot("play-high-contrast-150", (1920, 1080))
    play.coach_button.setChecked(False)
    settings.set("theme", "light")
    settings.set("text_size", 100)

    # A damaged database at start: the dialog offered instead of a traceback.
    window.close()
    pump()
    bad = scratch / "damaged.db"
    bad.write_bytes(b"this is not a database" * 100)
    window, _ready = launch(qapp, bad)
    wait(lambda: getattr(window, "damaged_dialog", None) is not None)
    shot("damaged-database", dialog=window.damaged_dialog)
    window.damaged_dialog.buttons["quit"].click()
    pump()
    return 0


def _seed_history(services, wait) -> None:
    """Two finished sessions and one unfinished, so history and best results show."""
    from negtrainer.engine.moves import MOVES
    from negtrainer.engine.session import Session

    scenario = services.scenario("packaging-renewal")
    other = next(e.scenario for e in services.scenarios if e.ok and e.id != "packaging-renewal")
    done: list = []

    def seed(store) -> None:
        s = Session.start(scenario, seed=11, variant="curt", learner="Ana")
        sid = store.begin(scenario, s, learner="Ana")
        while not s.ended:  # pressure first: the vicious cycle
            ok = [c for c in s.choices if c.available]
            ok.sort(key=lambda c: (MOVES[c.move].stance, c.id))
            s.choose(ok[0].id)
            store.record_turn(sid, s)
        s = Session.start(scenario, seed=12, variant="warm", learner="Ana")
        sid = store.begin(scenario, s, learner="Ana")
        for item in script_for(s):
            s.apply(item)
            store.record_turn(sid, s)
        s = Session.start(other, seed=5, learner="Ana")
        sid = store.begin(other, s, learner="Ana")
        for _ in range(3):
            ch = next((c for c in s.choices if c.available), None)
            if ch is None or s.ended:
                break
            s.choose(ch.id)
            store.record_turn(sid, s)

    services.run_op(seed, lambda _r: done.append(1))
    wait(lambda: done)
    services.store_changed.emit()


if __name__ == "__main__":
    raise SystemExit(main())
