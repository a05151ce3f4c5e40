"""Is there anything to hear speech through?

The speech engine can work perfectly and still be heard by nobody: a server, a
container or a remote session often has no sound card and no sound server. The
engine does not say so (pyttsx3's espeak driver hands each line to ``aplay``,
whose complaint goes nowhere), so this looks for an output the way ``aplay -l``
and the sound servers would, without new dependencies: a PulseAudio or PipeWire
socket, or an ALSA card in ``/proc/asound/cards``.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Mapping
from pathlib import Path

ASOUND_CARDS = Path("/proc/asound/cards")

NO_DEVICE = (
    "No sound device was found on this computer (no sound card, and no PulseAudio "
    "or PipeWire sound server)"
)


def sound_device_problem(
    *,
    system: str | None = None,
    env: Mapping[str, str] | None = None,
    cards: Path = ASOUND_CARDS,
) -> str:
    """Why nothing can be heard here, in one line, or "" when an output was found.

    Only Linux is checked: macOS and Windows always have an output device, or
    say themselves that there is none.
    """
    if (system or platform.system()) != "Linux":
        return ""
    env = os.environ if env is None else env
    server = env.get("PULSE_SERVER", "")
    # "unix:/path" can be checked; a network server ("tcp:host") is taken on trust.
    if server and (not server.startswith("unix:") or Path(server[5:]).exists()):
        return ""
    runtime = env.get("XDG_RUNTIME_DIR") or (
        f"/run/user/{os.getuid()}" if hasattr(os, "getuid") else ""
    )
    if runtime and any((Path(runtime) / name).exists() for name in ("pulse/native", "pipewire-0")):
        return ""
    try:
        with open(cards, encoding="utf-8", errors="replace") as f:
            listing = f.read(64 * 1024)
    except OSError:
        listing = ""
    # A card's line starts with its number: " 0 [PCH            ]: HDA-Intel - ...";
    # with none the file reads "--- no soundcards ---".
    if any(line.strip()[:1].isdigit() for line in listing.splitlines()):
        return ""
    return NO_DEVICE
