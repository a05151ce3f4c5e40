"""Voice: the counterpart's lines spoken aloud, offline, never in the way.

The only package that touches pyttsx3, and only inside a worker process
(:mod:`negtrainer.voice.worker`); importing this package stays cheap.

    speaker = ProcessSpeaker(on_event=...)        # starts the engine in the background
    choice = choose_voice(counterpart_hints, speaker.voices or list_voices(), "Dana Okafor")
    speaker.speak("Shall we get straight to the numbers?", choice)
"""

from negtrainer.voice.fake import FakeSpeaker, SpokenLine
from negtrainer.voice.process import ProcessSpeaker, utterance_timeout
from negtrainer.voice.speaker import DEFAULT_RATE, EventCallback, Speaker, VoiceChoice
from negtrainer.voice.voices import (
    NoEngine,
    VoiceInfo,
    VoiceList,
    choose_voice,
    install_hint,
    list_voices,
    player_warning,
)

__all__ = [
    "DEFAULT_RATE",
    "EventCallback",
    "FakeSpeaker",
    "NoEngine",
    "ProcessSpeaker",
    "Speaker",
    "SpokenLine",
    "VoiceChoice",
    "VoiceInfo",
    "VoiceList",
    "choose_voice",
    "install_hint",
    "list_voices",
    "player_warning",
    "utterance_timeout",
]
