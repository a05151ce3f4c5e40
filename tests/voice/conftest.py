from __future__ import annotations

import threading
import time

import pytest


class EventLog:
    """Collects a speaker's events from whatever thread sends them."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []
        self._changed = threading.Condition()

    def __call__(self, kind: str, detail: str) -> None:
        with self._changed:
            self.events.append((kind, detail))
            self._changed.notify_all()

    def kinds(self) -> list[str]:
        with self._changed:
            return [kind for kind, _ in self.events]

    def wait_for(
        self, kind: str, detail: str | None = None, count: int = 1, timeout: float = 10.0
    ) -> bool:
        """True once ``count`` events of ``kind`` (with ``detail``, if given) arrived."""

        def enough() -> bool:
            return (
                sum(1 for k, d in self.events if k == kind and (detail is None or d == detail))
                >= count
            )

        with self._changed:
            return self._changed.wait_for(enough, timeout)

    def settle(self, seconds: float = 0.3) -> list[tuple[str, str]]:
        """The events after a quiet spell, to check nothing more arrives."""
        time.sleep(seconds)
        with self._changed:
            return list(self.events)


@pytest.fixture
def event_log() -> EventLog:
    return EventLog()
