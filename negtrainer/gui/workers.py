"""Work off the GUI thread, results back on it (after Anki's CollectionOp).

    runner.run(fn, on_success=show, on_failure=complain)

``fn`` runs on a pool thread; ``on_success(result)`` or ``on_failure(exc)``
then runs on the GUI thread. A *serial* runner has exactly one thread that
never expires, so work runs one item at a time, in the order it was asked
for, always on the same thread: what a SQLite connection needs (it may only
be used on the thread that opened it) and what a log of turns needs (turn 3
is never written before turn 2).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


def _log() -> Any:
    import logging  # not at import: the first window comes before logging is needed

    return logging.getLogger(__name__)


Callback = Callable[[Any], None]


class _Relay(QObject):
    """Lives on the GUI thread; a signal emitted from a pool thread is queued
    here and so the callbacks run on the GUI thread."""

    deliver = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.deliver.connect(self._on_deliver)

    @Slot(object, object)
    def _on_deliver(self, callback: Callback, value: Any) -> None:
        try:
            callback(value)
        except Exception:  # noqa: BLE001 - a view bug must not kill the event loop
            _log().exception("callback after background work raised")


class _Task(QRunnable):
    def __init__(
        self,
        runner: Runner,
        fn: Callable[[], Any],
        on_success: Callback | None,
        on_failure: Callback | None,
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._runner = runner
        self._fn = fn
        self._on_success = on_success
        self._on_failure = on_failure

    def run(self) -> None:
        relay = self._runner._relay
        fn, on_success, on_failure = self._fn, self._on_success, self._on_failure
        # Drop our references now: this object dies on the pool thread, and what
        # the callbacks hold (views) must only ever be released on the GUI thread.
        self._fn = self._on_success = self._on_failure = None  # type: ignore[assignment]
        try:
            value = fn()
            deliver = self._runner._finished_success(on_success)
        except Exception as exc:  # noqa: BLE001 - handed to the GUI thread, never swallowed
            import traceback

            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            value = exc
            deliver = self._runner._finished_failure(on_failure)
        # Only the wrapper (sent to the GUI thread) may hold the callbacks now.
        del fn, on_success, on_failure
        relay.deliver.emit(deliver, value)
        del deliver, value


class Runner(QObject):
    """Runs callables off the GUI thread. ``failed(exc)`` fires for failures
    that nobody handled (no ``on_failure``), so the window can say so."""

    failed = Signal(object)
    busy_changed = Signal(bool)

    def __init__(
        self, parent: QObject | None = None, *, serial: bool = False, name: str = ""
    ) -> None:
        super().__init__(parent)
        self._relay = _Relay(self)
        self._pool = QThreadPool(self)
        self._pending = 0
        self.name = name
        if serial:
            self._pool.setMaxThreadCount(1)
            self._pool.setExpiryTimeout(-1)  # the one thread lives as long as the runner

    @property
    def pending(self) -> int:
        """Tasks asked for whose callbacks have not run yet."""
        return self._pending

    def run(
        self,
        fn: Callable[[], Any],
        on_success: Callback | None = None,
        on_failure: Callback | None = None,
    ) -> None:
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        self._pool.start(_Task(self, fn, on_success, on_failure))

    def wait(self, msecs: int = 30000) -> bool:
        """Block until every task has run (for shutdown and tests)."""
        return self._pool.waitForDone(msecs)

    # The wrappers run on the GUI thread (through the relay).
    def _finished_success(self, cb: Callback | None) -> Callback:
        def done(result: Any) -> None:
            self._done()
            if cb is not None:
                cb(result)

        return done

    def _finished_failure(self, cb: Callback | None) -> Callback:
        def done(exc: Any) -> None:
            self._done()
            if cb is not None:
                cb(exc)
            else:
                _log().error(
                    "background work failed:\n%s", getattr(exc, "__traceback_text__", repr(exc))
                )
                self.failed.emit(exc)

        return done

    def _done(self) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)


_SINGLETONS_GUARDED = False


def guard_singleton_refcounts() -> None:
    """Work around a PySide6 6.12 refcount bug on CPython < 3.12.

    PySide6 6.12.0 drops one reference to ``True`` on every ``Signal.emit()``
    and one to ``None`` on every call of a Python slot. The counts of those
    singletons fall with use until CPython aborts ("deallocating True or
    False") after a few hundred signals: a crash after a few minutes of play.
    The singletons are never freed, so giving them a very large count makes
    the leak harmless. Python 3.12+ makes them immortal and needs nothing.
    Idempotent; call before the first signal.
    """
    global _SINGLETONS_GUARDED
    import sys

    if _SINGLETONS_GUARDED or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    import ctypes

    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40
    _SINGLETONS_GUARDED = True
