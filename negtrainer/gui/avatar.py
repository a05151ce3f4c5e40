"""The counterpart's face: an SVG avatar whose expression follows the mood.

``avatar_svg(look, mood)`` builds the face with python_avatars (MIT, pure Python)
from a scenario's ``look:`` (vocabulary in ``negtrainer.engine.look``) and sets
eyebrows, eyes and mouth from one of ``MOODS``. ``AvatarWidget`` shows it.

Unknown look values and moods never raise: they fall back to the defaults.
python_avatars is imported on first render only (it costs ~10 ms; Qt is already
loaded by any GUI module).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

from negtrainer.engine.look import (
    DEFAULT_MOOD,
    LOOK_FIELDS,
    MOOD_DESCRIPTIONS,
    normalize_look,
    normalize_mood,
)

# A soft blue-grey disc: reads on a light and on a dark window background.
DEFAULT_BACKGROUND = "#C3D0DE"

# Friendly look values -> python_avatars enum member names (or hex colours, which
# python_avatars accepts for every colour). Every value of LOOK_FIELDS must be here.
HAIR: dict[str, str] = {
    "short": "SHORT_FLAT",
    "short_round": "SHORT_ROUND",
    "short_wavy": "SHORT_WAVED",
    "short_curly": "SHORT_CURLY",
    "side_part": "CAESAR_SIDE_PART",
    "caesar": "CAESAR",
    "buzz": "BUZZCUT",
    "balding": "SIDES",
    "bald": "NONE",
    "quiff": "QUIFF",
    "pompadour": "POMPADOUR",
    "pixie": "PIXIE",
    "bob": "BOB",
    "bangs": "MIA_WALLACE",
    "shoulder": "LONG_NOT_TOO_LONG",
    "long": "STRAIGHT_1",
    "long_strand": "STRAIGHT_STRAND",
    "wavy": "CURVY",
    "curly": "CURLY",
    "big": "BIG_HAIR",
    "afro": "FRO",
    "afro_band": "FRO_BAND",
    "bun": "BUN",
    "dreads": "DREADS",
    "short_dreads": "SHORT_DREADS_1",
    "twists": "TWIST_LONG_HAIR",
    "cornrows": "CORNROWS",
    "shaggy": "SHAGGY",
}
HAIR_COLOR: dict[str, str] = {
    "black": "BLACK",
    "dark_brown": "BROWN_DARK",
    "brown": "BROWN",
    "auburn": "AUBURN",
    "red": "RED",
    "blonde": "BLONDE",
    "golden": "BLONDE_GOLDEN",
    "platinum": "PLATINUM",
    "grey": "#9A9A9A",  # the library's SILVER_GRAY is nearly white
    "white": "SILVER_GRAY",
}
SKIN: dict[str, str] = {
    # The library's TANNED (#FD9841) is orange and YELLOW is yellow: not used.
    "pale": "PALE",
    "light": "LIGHT",
    "tan": "BROWN",
    "brown": "DARK_BROWN",
    "dark": "BLACK",
}
CLOTHING: dict[str, str] = {
    "blazer": "BLAZER_SHIRT",
    "blazer_sweater": "BLAZER_SWEATER",
    "suit": "SHIRT_WICK",
    "sweater": "COLLAR_SWEATER",
    "hoodie": "HOODIE",
    "overall": "OVERALL",
    "shirt": "SHIRT_CREW_NECK",
    "scoop_neck": "SHIRT_SCOOP_NECK",
    "v_neck": "SHIRT_V_NECK",
}
CLOTHING_COLOR: dict[str, str] = {
    "black": "BLACK",
    "charcoal": "HEATHER",
    "grey": "GRAY_02",
    "light_grey": "GRAY_01",
    "white": "WHITE",
    "navy": "BLUE_03",
    "blue": "BLUE_02",
    "light_blue": "BLUE_01",
    "pastel_blue": "PASTEL_BLUE",
    "pastel_green": "PASTEL_GREEN",
    "pastel_yellow": "PASTEL_YELLOW",
    "pastel_orange": "PASTEL_ORANGE",
    "pink": "PINK",
    "red": "RED",
}
FACIAL_HAIR: dict[str, str] = {
    "none": "NONE",
    "light_beard": "BEARD_LIGHT",
    "beard": "BEARD_MEDIUM",
    "full_beard": "BEARD_MAGESTIC",  # sic, the library's spelling
    "moustache": "MOUSTACHE_FANCY",
    "big_moustache": "MOUSTACHE_MAGNUM",
}
ACCESSORY: dict[str, str] = {
    "none": "NONE",
    "glasses": "PRESCRIPTION_2",
    "light_glasses": "PRESCRIPTION_1",
    "round_glasses": "ROUND",
    "sunglasses": "SUNGLASSES",
    "wayfarers": "WAYFARERS",
}

# field -> (python_avatars enum class name, friendly -> member name or hex)
PART_MAPS: dict[str, tuple[str, dict[str, str]]] = {
    "hair": ("HairType", HAIR),
    "hair_color": ("HairColor", HAIR_COLOR),
    "skin": ("SkinColor", SKIN),
    "clothing": ("ClothingType", CLOTHING),
    "clothing_color": ("ClothingColor", CLOTHING_COLOR),
    "facial_hair": ("FacialHairType", FACIAL_HAIR),
    "accessory": ("AccessoryType", ACCESSORY),
}

# mood -> (EyebrowType, EyeType, MouthType) member names
MOOD_FACE: dict[str, tuple[str, str, str]] = {
    "warm": ("RAISED_EXCITED_NATURAL", "HAPPY", "SMILE"),  # beaming
    "open": ("DEFAULT_NATURAL", "DEFAULT", "TWINKLE"),  # slight smile
    "neutral": ("DEFAULT_NATURAL", "DEFAULT", "SERIOUS"),  # straight mouth
    "guarded": ("FLAT_NATURAL", "SIDE", "SERIOUS"),  # low flat brows, side-eye
    "tense": ("SAD_CONCERNED_NATURAL", "SQUINT", "GRIMACE"),  # worried, teeth set
    "angry": ("ANGRY_NATURAL", "SQUINT", "SAD"),  # brows down, mouth turned down
}

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_URL_REF = re.compile(r"url\(#([^)\s]+)\)")
_ID = re.compile(r'\bid="([^"]+)"')


def avatar_svg(
    look: Mapping[str, str] | None,
    mood: str,
    *,
    background: str | None = DEFAULT_BACKGROUND,
) -> str:
    """The SVG text of the counterpart's face.

    ``look`` uses the vocabulary of ``negtrainer.engine.look.LOOK_FIELDS``
    (missing or unknown values fall back to ``DEFAULT_LOOK``); ``mood`` is one
    of ``MOODS`` (unknown: ``"neutral"``). ``background`` is a ``#rrggbb``
    colour for a disc behind the head, or ``None`` for a transparent
    background. Results are cached.
    """
    norm = normalize_look(look)
    key = tuple(norm[field] for field in LOOK_FIELDS)
    if background is not None and not _HEX.match(background):
        background = DEFAULT_BACKGROUND
    return _render(key, normalize_mood(mood), background)


@functools.lru_cache(maxsize=512)
def _render(key: tuple[str, ...], mood: str, background: str | None) -> str:
    import python_avatars as pa  # ~10 ms; only when a face is first drawn

    look = dict(zip(LOOK_FIELDS, key, strict=True))
    parts: dict[str, object] = {}
    for field, (enum_name, mapping) in PART_MAPS.items():
        value = mapping[look[field]]
        parts[field] = value if value.startswith("#") else getattr(pa, enum_name)[value]
    brows, eyes, mouth = MOOD_FACE[mood]
    avatar = pa.Avatar(
        style=pa.AvatarStyle.TRANSPARENT if background is None else pa.AvatarStyle.CIRCLE,
        background_color=background or pa.BackgroundColor.DEFAULT,
        top=parts["hair"],
        hair_color=parts["hair_color"],
        facial_hair=parts["facial_hair"],
        facial_hair_color=parts["hair_color"],
        skin_color=parts["skin"],
        clothing=parts["clothing"],
        clothing_color=parts["clothing_color"],
        accessory=parts["accessory"],
        eyebrows=pa.EyebrowType[brows],
        eyes=pa.EyeType[eyes],
        mouth=pa.MouthType[mouth],
        nose=pa.NoseType.DEFAULT,
        title=f"Counterpart, looks {mood}",
    )
    return _fix_references(avatar.render())


def _fix_references(svg: str) -> str:
    """python_avatars prefixes every id with its part's file name but does not
    rewrite ``fill="url(#...)"`` (the sunglasses' gradients), so Qt cannot
    resolve them. Point each dangling reference at the prefixed id."""
    ids = set(_ID.findall(svg))

    def repair(match: re.Match[str]) -> str:
        ref = match.group(1)
        if ref in ids:
            return match.group(0)
        for candidate in sorted(ids):
            if candidate.endswith("_" + ref):
                return f"url(#{candidate})"
        return match.group(0)

    return _URL_REF.sub(repair, svg)


class AvatarWidget(QWidget):
    """Shows the counterpart's face; ``set_mood`` as the talk goes on.

    Keeps the SVG's aspect ratio, centred; re-renders only when the look or
    the mood really changed. The accessible name says who it is and how they
    look ("Dana Okafor, looks guarded"), the accessible description what the
    mood means.
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        look: Mapping[str, str] | None = None,
        mood: str = DEFAULT_MOOD,
        person: str = "",
        background: str | None = DEFAULT_BACKGROUND,
    ) -> None:
        super().__init__(parent)
        self._look = normalize_look(look)
        self._mood = normalize_mood(mood)
        self._person = person.strip()
        self._background = background
        self._renderer = QSvgRenderer(self)
        self._svg = ""
        self._stale = True
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setSizePolicy(policy)
        self._update_accessibility()

    # -- state ---------------------------------------------------------------

    def look(self) -> dict[str, str]:
        return dict(self._look)

    def mood(self) -> str:
        return self._mood

    def person(self) -> str:
        return self._person

    def svg(self) -> str:
        """The SVG currently shown (rendered now if needed)."""
        self._ensure_loaded()
        return self._svg

    def set_look(self, look: Mapping[str, str] | None) -> None:
        norm = normalize_look(look)
        if norm != self._look:
            self._look = norm
            self._invalidate()

    def set_mood(self, mood: str) -> None:
        norm = normalize_mood(mood)
        if norm != self._mood:
            self._mood = norm
            self._update_accessibility()
            self._invalidate()

    def set_person(self, name: str) -> None:
        self._person = (name or "").strip()
        self._update_accessibility()

    def set_background(self, background: str | None) -> None:
        if background != self._background:
            self._background = background
            self._invalidate()

    # -- Qt ------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(160, 160)

    def minimumSizeHint(self) -> QSize:
        return QSize(48, 48)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._ensure_loaded()
        if not self._renderer.isValid():
            return
        box = self._renderer.viewBoxF()
        if box.isEmpty():
            return
        scale = min(self.width() / box.width(), self.height() / box.height())
        w, h = box.width() * scale, box.height() * scale
        target = QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self._renderer.render(painter, target)
        painter.end()

    # -- internals -----------------------------------------------------------

    def _invalidate(self) -> None:
        self._stale = True
        self.update()

    def _ensure_loaded(self) -> None:
        if not self._stale:
            return
        self._svg = avatar_svg(self._look, self._mood, background=self._background)
        self._renderer.load(QByteArray(self._svg.encode("utf-8")))
        self._renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        self._stale = False

    def _update_accessibility(self) -> None:
        who = self._person or "Counterpart"
        self.setAccessibleName(f"{who}, looks {self._mood}")
        self.setAccessibleDescription(MOOD_DESCRIPTIONS.get(self._mood, ""))
