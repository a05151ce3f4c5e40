"""How a counterpart looks, and the moods their face can show.

This is the vocabulary scenario authors use under a counterpart's ``look:``::

    look:
      hair: bun
      hair_color: grey
      skin: brown
      clothing: blazer
      clothing_color: navy
      facial_hair: none
      accessory: round_glasses

Pure data (standard library only): the engine and the scenario checker use it to
validate a scenario, and the GUI (``negtrainer.gui.avatar``) maps every value to
a part it can really draw. A value not listed here is not an error at run time:
the face falls back to the default for that field, and ``look_problems`` lets a
checker warn the author before class.

``MOODS`` are the expressions the face can show, from friendliest to most
hostile. The engine picks one from the counterpart's hidden state; the GUI only
draws it.
"""

from __future__ import annotations

from collections.abc import Mapping

# Friendly names only; each is mapped to a python_avatars part in the GUI.
# Every value here must be drawable (tests/gui/test_avatar.py checks it).
LOOK_FIELDS: dict[str, tuple[str, ...]] = {
    "hair": (
        "short",  # short, flat on top
        "short_round",
        "short_wavy",
        "short_curly",
        "side_part",
        "caesar",  # very short, even all round
        "buzz",  # buzz cut
        "balding",  # hair at the sides only
        "bald",
        "quiff",
        "pompadour",
        "pixie",
        "bob",
        "bangs",  # bob with a fringe
        "shoulder",  # shoulder length
        "long",  # long and straight
        "long_strand",  # long, a strand over the face
        "wavy",  # long and wavy
        "curly",  # full, curly, to the shoulders
        "big",  # big, voluminous
        "afro",
        "afro_band",  # afro with a headband
        "bun",
        "dreads",  # long dreadlocks
        "short_dreads",
        "twists",  # long twists
        "cornrows",
        "shaggy",
    ),
    "hair_color": (
        "black",
        "dark_brown",
        "brown",
        "auburn",
        "red",
        "blonde",
        "golden",
        "platinum",
        "grey",
        "white",
    ),
    "skin": ("pale", "light", "tan", "brown", "dark"),
    "clothing": (
        "blazer",  # blazer over a shirt
        "blazer_sweater",  # blazer over a sweater
        "suit",  # suit and tie
        "sweater",  # sweater with a collar
        "hoodie",
        "overall",
        "shirt",  # crew-neck shirt
        "scoop_neck",
        "v_neck",
    ),
    "clothing_color": (
        "black",
        "charcoal",
        "grey",
        "light_grey",
        "white",
        "navy",
        "blue",
        "light_blue",
        "pastel_blue",
        "pastel_green",
        "pastel_yellow",
        "pastel_orange",
        "pink",
        "red",
    ),
    "facial_hair": (
        "none",
        "light_beard",
        "beard",
        "full_beard",
        "moustache",
        "big_moustache",
    ),
    "accessory": (
        "none",
        "glasses",  # dark rectangular frames
        "light_glasses",  # thin, light frames
        "round_glasses",
        "sunglasses",  # hide the eyes: the mood shows less
        "wayfarers",  # tinted; hide the eyes too
    ),
}

DEFAULT_LOOK: dict[str, str] = {
    "hair": "short",
    "hair_color": "brown",
    "skin": "light",
    "clothing": "blazer",
    "clothing_color": "navy",
    "facial_hair": "none",
    "accessory": "none",
}

# Common spellings authors will write, mapped to the canonical names above.
LOOK_ALIASES: dict[str, dict[str, str]] = {
    "hair": {
        "buzzcut": "buzz",
        "buzz_cut": "buzz",
        "shaved": "buzz",
        "fringe": "bangs",
        "straight": "long",
        "long_straight": "long",
        "long_wavy": "wavy",
        "medium": "shoulder",
        "fro": "afro",
        "dreadlocks": "dreads",
        "locs": "dreads",
        "none": "bald",
    },
    "hair_color": {
        "gray": "grey",
        "silver": "grey",
        "blond": "blonde",
        "ginger": "red",
        "brunette": "brown",
        "dark": "dark_brown",
    },
    "skin": {
        "fair": "pale",
        "medium": "tan",
        "olive": "tan",
        "deep": "dark",
        "dark_brown": "dark",
    },
    "clothing": {
        "jacket": "blazer",
        "tshirt": "shirt",
        "t_shirt": "shirt",
        "crew_neck": "shirt",
        "jumper": "sweater",
        "tie": "suit",
        "overalls": "overall",
    },
    "clothing_color": {
        "gray": "grey",
        "light_gray": "light_grey",
        "dark_grey": "charcoal",
        "dark_gray": "charcoal",
        "heather": "charcoal",
        "dark_blue": "navy",
    },
    "facial_hair": {
        "stubble": "light_beard",
        "short_beard": "light_beard",
        "mustache": "moustache",
        "long_beard": "full_beard",
        "clean_shaven": "none",
    },
    "accessory": {
        "spectacles": "glasses",
        "eyeglasses": "glasses",
        "reading_glasses": "light_glasses",
        "shades": "sunglasses",
    },
}

MOODS: tuple[str, ...] = ("warm", "open", "neutral", "guarded", "tense", "angry")

MOOD_DESCRIPTIONS: dict[str, str] = {
    "warm": "Friendly and at ease: smiles, trusts you, shares freely.",
    "open": "Willing and attentive: listens and answers honestly.",
    "neutral": "Businesslike: neither won over nor put off yet.",
    "guarded": "Wary: watches you, holds information back.",
    "tense": "Uneasy and worried: feels pressed or at risk.",
    "angry": "Offended or hostile: close to walking out.",
}

DEFAULT_MOOD = "neutral"


def _key(value: object) -> str:
    return str(value).strip().lower().replace("-", "_").replace(" ", "_")


def normalize_look(look: Mapping[str, object] | None) -> dict[str, str]:
    """A complete look with canonical values: aliases resolved, case and
    spaces ignored, and every missing or unknown value replaced by the default.

    Never raises; fields not in ``LOOK_FIELDS`` are dropped.
    """
    result = dict(DEFAULT_LOOK)
    for field, value in (look or {}).items():
        name = _key(field)
        if name not in LOOK_FIELDS or value is None:
            continue
        key = _key(value)
        key = LOOK_ALIASES.get(name, {}).get(key, key)
        if key in LOOK_FIELDS[name]:
            result[name] = key
    return result


def normalize_mood(mood: object) -> str:
    """A mood from ``MOODS``; anything unknown becomes ``DEFAULT_MOOD``."""
    key = _key(mood) if mood is not None else ""
    return key if key in MOODS else DEFAULT_MOOD


def look_problems(look: Mapping[str, object] | None) -> list[str]:
    """Messages for a scenario checker: unknown fields, unknown values, and
    values written in another spelling (``gray``, ``Grey``, ``stubble``)."""
    problems: list[str] = []
    for field, value in (look or {}).items():
        name = _key(field)
        if name not in LOOK_FIELDS:
            problems.append(f"look: unknown field {field!r} (known: {', '.join(LOOK_FIELDS)})")
            continue
        key = _key(value)
        canonical = LOOK_ALIASES.get(name, {}).get(key, key)
        if canonical in LOOK_FIELDS[name] and str(value) != canonical:
            # Drawn right, but the file no longer matches the documented list, and a
            # search for "grey" in the library misses it: say the one spelling to use.
            problems.append(
                f"look.{name}: write {canonical!r} instead of {value!r} "
                f"(it is drawn as {canonical!r}; the list uses one spelling per value)"
            )
        elif canonical not in LOOK_FIELDS[name]:
            problems.append(
                f"look.{name}: unknown value {value!r}, the default "
                f"{DEFAULT_LOOK[name]!r} is drawn instead "
                f"(known: {', '.join(LOOK_FIELDS[name])})"
            )
    return problems
