"""Which voices are installed, and which one a counterpart speaks with.

:func:`list_voices` asks a worker process (so a hanging engine cannot hang the
caller). :func:`choose_voice` turns a scenario's voice hints into a
:class:`~negtrainer.voice.speaker.VoiceChoice`: the same counterpart gets the
same voice every time, and two counterparts with the same hints usually get
different ones.
"""

from __future__ import annotations

import hashlib
import platform
import shutil
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from negtrainer.voice.protocol import decode, one_line, spawn_worker, talk_to_worker
from negtrainer.voice.speaker import MAX_RATE, MIN_RATE, VoiceChoice

# espeak voices carry no real gender or age (pyttsx3 reports them all as
# "Male"); espeak-ng's variants ("gmw/en-us+f3") give them one instead.
_ESPEAK_VARIANTS = {  # going by the pitch and age each variant file declares
    ("female", "young"): ("f5", "f2"),
    ("female", "adult"): ("f2", "f3", "f5"),
    ("female", "older"): ("f1", "grandma"),
    ("male", "young"): ("m6", "m2"),
    ("male", "adult"): ("m3", "m7", "m4"),
    ("male", "older"): ("m1", "m8"),
}


@dataclass(frozen=True)
class VoiceInfo:
    """One installed voice. ``gender`` and ``age`` are normalised, or None if unknown:
    gender "female" | "male" | "neutral", age "young" | "adult" | "older"."""

    id: str
    name: str
    languages: tuple[str, ...] = ()
    gender: str | None = None
    age: str | None = None

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> VoiceInfo:
        languages = record.get("languages") or ()
        if isinstance(languages, str):
            languages = (languages,)
        return cls(
            id=str(record["id"]),
            name=str(record.get("name") or record["id"]),
            languages=tuple(normalise_language(x) for x in languages if str(x).strip()),
            gender=normalise_gender(record.get("gender")),
            age=normalise_age(record.get("age")),
        )

    def as_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "languages": list(self.languages),
            "gender": self.gender,
            "age": self.age,
        }


def install_hint(system: str | None = None) -> str:
    """What to do so that this computer can speak, in one line."""
    system = system or platform.system()
    if system == "Darwin":
        return (
            "speech is built into macOS (NSSpeechSynthesizer); reinstall negtrainer "
            "so that pyttsx3 and its pyobjc dependency are present"
        )
    if system == "Windows":
        return (
            "speech is built into Windows (SAPI5); add a voice under Settings > "
            "Time & language > Speech, and reinstall negtrainer if pywin32 is missing"
        )
    for tool, command in (
        ("apt-get", "sudo apt install espeak-ng"),
        ("dnf", "sudo dnf install espeak-ng"),
        ("pacman", "sudo pacman -S espeak-ng"),
        ("zypper", "sudo zypper install espeak-ng"),
    ):
        if shutil.which(tool):
            return f"install espeak-ng ({command})"
    return "install espeak-ng with your package manager (apt, dnf: package espeak-ng)"


def player_warning(driver: str, system: str | None = None) -> str:
    """Why speech will be silent although the engine works, in one line, or ""."""
    system = system or platform.system()
    if driver == "espeak" and system == "Linux" and shutil.which("aplay") is None:
        return (
            "speech will be silent: pyttsx3 plays espeak-ng through aplay, which is missing "
            "(sudo apt install alsa-utils)"
        )
    return ""


@dataclass(frozen=True)
class NoEngine:
    """Why there is no speech, and what to do about it; ``str()`` is one line."""

    detail: str = ""
    hint: str = field(default_factory=install_hint)

    @classmethod
    def from_failure(cls, message: Mapping[str, Any]) -> NoEngine:
        """From a worker's ``failed`` event."""
        detail = one_line(message.get("error") or "the speech engine failed to start")
        if message.get("kind") == "no-module":
            return cls(detail, "install pyttsx3 (pip install pyttsx3)")
        return cls(detail)

    def __str__(self) -> str:
        if self.hint and self.detail:
            return f"No speech engine: {self.hint} — {self.detail}"
        return f"No speech engine: {self.hint or self.detail or 'unknown reason'}"


@dataclass(frozen=True)
class VoiceList:
    """The installed voices (in the engine's order), or why there are none."""

    voices: tuple[VoiceInfo, ...] = ()
    driver: str = ""
    error: NoEngine | None = None

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]], driver: str = "") -> VoiceList:
        voices = []
        for record in records:
            try:
                voices.append(VoiceInfo.from_record(record))
            except (KeyError, TypeError):  # a voice without an id cannot be chosen
                continue
        return cls(tuple(voices), str(driver or ""))

    def __iter__(self) -> Iterator[VoiceInfo]:
        return iter(self.voices)

    def __len__(self) -> int:
        return len(self.voices)


def list_voices(timeout: float = 5.0, *, fake_engine: str | None = None) -> VoiceList:
    """Ask a worker process for the installed voices; never waits past ``timeout``."""
    try:
        proc = spawn_worker("--list-voices", fake_engine=fake_engine)
    except OSError as exc:
        return VoiceList(error=NoEngine(f"could not start the speech worker: {one_line(exc)}"))
    answer = talk_to_worker(proc, None, timeout)
    if answer is None:
        return VoiceList(
            error=NoEngine(f"the speech engine did not answer within {timeout:g} s", hint="")
        )
    out, err = answer
    for message in filter(None, map(decode, out.splitlines())):
        if message.get("ev") == "voices" and isinstance(message.get("voices"), list):
            return VoiceList.from_records(message["voices"], message.get("driver", ""))
        if message.get("ev") == "failed":
            return VoiceList(error=NoEngine.from_failure(message))
    last = one_line(err.decode("utf-8", "replace").strip().splitlines()[-1]) if err.strip() else ""
    return VoiceList(
        error=NoEngine(
            f"the speech worker stopped unexpectedly (exit code {proc.returncode})"
            + (f": {last}" if last else ""),
            hint="",
        )
    )


# -- choosing ---------------------------------------------------------------


def normalise_language(code: object) -> str:
    return str(code).strip().lower().replace("_", "-")


def normalise_gender(value: object) -> str | None:
    text = str(value or "").strip().lower()
    if "female" in text or text in ("f", "woman"):  # before "male": it is inside "female"
        return "female"
    if "male" in text or text in ("m", "man"):
        return "male"
    if "neut" in text or text in ("n", "other"):
        return "neutral"
    return None


def normalise_age(value: object) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, (int, float)):
        return "young" if value < 30 else "adult" if value < 60 else "older"
    text = str(value).strip().lower()
    if text in ("child", "teen", "young", "youth"):
        return "young"
    if text in ("adult", "middle"):
        return "adult"
    if text in ("senior", "old", "older", "elderly"):
        return "older"
    return None


def choose_voice(
    hints: Mapping[str, Any] | None,
    voices: VoiceList | Iterable[VoiceInfo],
    key: str,
) -> VoiceChoice:
    """Pick the voice for a counterpart from its scenario voice hints.

    ``hints`` holds ``language`` (default "en"), ``gender`` ("female", "male",
    "neutral"), ``age`` ("young", "adult", "older") and ``rate`` (words per
    minute); any may be missing. ``key`` (the counterpart's name) makes the
    pick stable. Preference, in order: the same language (the same region
    first), then the gender, then the age; failing the language, any English
    voice; failing that, the first voice. Among equals the pick is a hash of
    ``key``, never random.
    """
    hints = hints or {}
    language = normalise_language(hints.get("language") or "en")
    gender = normalise_gender(hints.get("gender"))
    age = normalise_age(hints.get("age"))
    rate = _valid_rate(hints.get("rate"))
    pool = list(voices)
    if not pool:
        return VoiceChoice(
            None, "default voice", rate, "no voices listed; the engine's default speaks"
        )
    variants = isinstance(voices, VoiceList) and voices.driver == "espeak"
    notes: list[str] = []

    by_language = [v for v in pool if _language_distance(v, language) is not None]
    if not by_language:
        english = [v for v in pool if _language_distance(v, "en") is not None]
        if english:
            notes.append(f"no voice for {language!r} is installed; an English voice speaks")
            by_language, language = english, "en"
        else:
            notes.append(f"no voice for {language!r} or English; the first voice speaks")
            by_language = pool[:1]
    candidates = by_language

    if gender and not variants:
        candidates = _narrow(
            candidates, lambda v: v.gender == gender, notes, f"no {gender} voice is installed"
        )
    best = min(_language_distance(v, language) or 0 for v in candidates)
    candidates = [v for v in candidates if (_language_distance(v, language) or 0) == best]
    if "-" not in language:
        # A bare "en" means the language as most people hear it: prefer the main
        # national voices (en-gb, en-us; fr-fr, de-de…) over regional accents.
        main = {f"{language}-{r}" for r in ("gb", "us", language)} | {language}
        candidates = _narrow(candidates, lambda v: bool(main & set(v.languages)), notes, None)
    if age and not variants:
        candidates = _narrow(candidates, lambda v: v.age == age, notes, None)

    candidates.sort(key=lambda v: v.id)
    voice = candidates[_stable_index(key, "voice", len(candidates))]
    voice_id, name = voice.id, voice.name
    if variants and gender in ("female", "male") and "+" not in voice.id:
        options = _ESPEAK_VARIANTS[(gender, age or "adult")]
        variant = options[_stable_index(key, "variant", len(options))]
        voice_id, name = f"{voice.id}+{variant}", f"{voice.name}, {gender} ({variant})"
    return VoiceChoice(voice_id, name, rate, "; ".join(notes))


def _language_distance(voice: VoiceInfo, wanted: str) -> int | None:
    """How far the voice's closest language is from ``wanted``; None: another language."""
    wanted_parts = wanted.split("-")
    best: int | None = None
    for lang in voice.languages:
        parts = lang.split("-")
        if parts[0] != wanted_parts[0]:
            continue
        if parts[: len(wanted_parts)] == wanted_parts:  # same, or more specific
            distance = len(parts) - len(wanted_parts)
        elif wanted_parts[: len(parts)] == parts:  # less specific: "en" for "en-us"
            distance = 10
        else:  # same language, other region: "en-gb" for "en-us"
            distance = 20
        best = distance if best is None else min(best, distance)
    return best


def _narrow(
    candidates: list[VoiceInfo], keep: Any, notes: list[str], note: str | None
) -> list[VoiceInfo]:
    narrowed = [v for v in candidates if keep(v)]
    if narrowed:
        return narrowed
    if note:
        notes.append(note)
    return candidates


def _stable_index(key: str, salt: str, size: int) -> int:
    digest = hashlib.sha256(f"{salt}\0{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % size


def _valid_rate(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return int(value) if MIN_RATE <= value <= MAX_RATE else None
