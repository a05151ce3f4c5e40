"""A smoke check of the desktop start: open the real window, say when it is up, quit.

Reached through ``python -m negtrainer --negtrainer-first-window DB`` or, in a
bundle, ``negtrainer --negtrainer-first-window DB``: the bundle has no
``python -c``, so the packaging smoke check and the start-up benchmark need a
door into the same start-up path a person gets. It prints ``shown`` at the
first paint, ``ready N`` (N scenarios in the library) once the database is
open and the scenarios are loaded, and ``charts`` once a trust chart has drawn
(QtCharts is loaded late, so a bundle that lost it would only fail in the
debrief), then quits; exit 1 if not ready in time.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

FLAG = "--negtrainer-first-window"
TIMEOUT_MS = 60_000


def main(argv: Sequence[str]) -> int:
    from PySide6.QtCore import QTimer

    from negtrainer.gui import app as gui_app

    db = argv[0] if argv else None
    qapp = gui_app.create_app(["negtrainer"])
    outcome = {"code": 1}

    def ready(window) -> None:
        print(f"ready {window.library.model.rowCount()}", flush=True)
        try:
            from negtrainer.gui.charts import TrustChart

            chart = TrustChart()
            chart.set_curve([50.0, 55.0, 62.0])
            chart.resize(400, 200)
            chart.grab()
        except Exception as e:  # noqa: BLE001 - a smoke check reports, it does not crash
            print(f"charts failed: {e!r}", file=sys.stderr, flush=True)
        else:
            print("charts", flush=True)
            outcome["code"] = 0
        QTimer.singleShot(0, window.close)

    window = gui_app.launch(qapp, db, on_ready=ready)
    window.first_paint.connect(lambda: print("shown", flush=True))

    def too_late() -> None:
        print("not ready in time", file=sys.stderr, flush=True)
        window.close()

    QTimer.singleShot(TIMEOUT_MS, too_late)
    qapp.exec()
    return outcome["code"]
