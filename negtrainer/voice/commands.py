"""What ``negtrainer voices`` and ``negtrainer say`` do; the CLI only parses arguments.

Both end in a plain message rather than a traceback when there is no speech
engine: voice is optional, and the rest of the trainer works without it.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import threading
from collections.abc import Mapping
from typing import Any, TextIO

from negtrainer.voice.process import INIT_TIMEOUT, ProcessSpeaker, utterance_timeout
from negtrainer.voice.speaker import clamp_rate
from negtrainer.voice.voices import choose_voice, list_voices, player_warning

_NO_VOICE = "Voice is off; the trainer works without it."


def cmd_voices(json_out: bool = False, out: TextIO | None = None) -> int:
    """List the installed voices; exit status 0 even when there is no engine."""
    out = out or sys.stdout
    voices = list_voices()
    if json_out:
        json.dump(
            {
                "driver": voices.driver,
                "voices": [v.as_record() for v in voices],
                "error": str(voices.error) if voices.error else None,
            },
            out,
            indent=2,
        )
        out.write("\n")
        return 0
    if voices.error is not None:
        print(voices.error, file=out)
        print(_NO_VOICE, file=out)
        return 0
    if not len(voices):
        print(f"The speech engine ({voices.driver or 'unknown'}) reports no voices.", file=out)
        return 0
    rows = [("ID", "NAME", "LANGUAGES", "GENDER")] + [
        (v.id, v.name, ",".join(v.languages) or "-", v.gender or "-") for v in voices
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[3],
            file=out,
        )
    print(f"{len(voices)} voices ({voices.driver}).", file=out)
    if warning := player_warning(voices.driver):
        print(f"Warning: {warning}.", file=out)
    if voices.driver == "espeak":
        print(
            "espeak voices take a variant for gender, e.g. gmw/en-us+f3 (female), +m3 (male).",
            file=out,
        )
    return 0


def cmd_say(
    text: str,
    hints: Mapping[str, Any] | None,
    key: str,
    rate: int | None = None,
    out: TextIO | None = None,
) -> int:
    """Say one line in the voice ``hints`` choose for ``key``, and wait until it ends.

    Exit status 0 when the line was spoken, 1 when voice is off (the message
    says why and what to do).
    """
    out = out or sys.stdout
    if not text.strip():
        print("Nothing to say: the line is empty.", file=out)
        return 1
    done = threading.Event()
    failure: list[str] = []

    def on_event(kind: str, detail: str) -> None:
        if kind == "failed":
            failure.append(detail)
        if kind in ("finished", "failed"):
            done.set()

    with ProcessSpeaker(on_event=on_event) as speaker:
        if not speaker.wait_ready(INIT_TIMEOUT + 2.0):
            print(speaker.reason or "Voice is off: the speech engine did not start.", file=out)
            return 1
        choice = choose_voice(hints, speaker.voices or (), key)
        if rate is not None:  # an explicit pace is taken as it is, not scaled
            choice = dataclasses.replace(choice, rate=clamp_rate(rate))
        pace = speaker.effective_rate(choice)
        print(f"{key} ({choice.name}, {pace} words/min): {text}", file=out)
        if choice.note:
            print(f"  note: {choice.note}", file=out)
        if warning := player_warning(speaker.voices.driver if speaker.voices else ""):
            print(f"  warning: {warning}", file=out)
        speaker.speak(text, choice)
        # The speaker's own watchdog ends a hung line; this is a last resort.
        if not done.wait(INIT_TIMEOUT + utterance_timeout(text, pace) + 2.0):
            print("Voice is off: the line did not finish in time.", file=out)
            return 1
    if failure:
        print(failure[0], file=out)
        return 1
    return 0
