"""Counterpart avatars: every look value and every mood draws a valid face."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QByteArray, QPoint, Qt
from PySide6.QtGui import QImage, QRegion
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QWidget

from negtrainer.engine.look import (
    DEFAULT_LOOK,
    LOOK_ALIASES,
    LOOK_FIELDS,
    MOOD_DESCRIPTIONS,
    MOODS,
    look_problems,
    normalize_look,
    normalize_mood,
)
from negtrainer.gui import avatar as av
from negtrainer.gui.avatar import PART_MAPS, AvatarWidget, avatar_svg

LOOK_VALUES = [(field, value) for field, values in LOOK_FIELDS.items() for value in values]


def _renderer(svg: str) -> QSvgRenderer:
    return QSvgRenderer(QByteArray(svg.encode("utf-8")))


def _paint(widget: AvatarWidget, width: int, height: int) -> QImage:
    """The widget's own painting only (no window background) on transparency."""
    widget.resize(width, height)
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    widget.render(image, QPoint(), QRegion(), QWidget.RenderFlag.DrawChildren)
    return image


def _opaque_pixels(image: QImage) -> int:
    count = 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            if image.pixelColor(x, y).alpha() > 0:
                count += 1
    return count


# -- vocabulary (pure data) ----------------------------------------------------


def test_vocabulary_is_consistent():
    assert MOODS == ("warm", "open", "neutral", "guarded", "tense", "angry")
    assert set(MOOD_DESCRIPTIONS) == set(MOODS)
    assert set(DEFAULT_LOOK) == set(LOOK_FIELDS)
    for field, values in LOOK_FIELDS.items():
        assert DEFAULT_LOOK[field] in values
        assert len(set(values)) == len(values), field
        for alias, target in LOOK_ALIASES.get(field, {}).items():
            assert target in values, (field, alias)
            assert alias not in values, (field, alias)


def test_every_look_value_has_a_part():
    assert set(PART_MAPS) == set(LOOK_FIELDS)
    for field, (_enum, mapping) in PART_MAPS.items():
        assert set(mapping) == set(LOOK_FIELDS[field]), field


def test_every_part_exists_in_python_avatars():
    import python_avatars as pa

    for field, (enum_name, mapping) in PART_MAPS.items():
        enum = getattr(pa, enum_name)
        for value in mapping.values():
            if not value.startswith("#"):
                assert value in enum.__members__, (field, value)
    for brows, eyes, mouth in av.MOOD_FACE.values():
        assert brows in pa.EyebrowType.__members__
        assert eyes in pa.EyeType.__members__
        assert mouth in pa.MouthType.__members__
    assert set(av.MOOD_FACE) == set(MOODS)


def test_normalize_look_aliases_case_and_fallback():
    look = normalize_look(
        {"Hair": "Buzz Cut", "hair_color": "GRAY", "facial_hair": "stubble", "skin": "green"}
    )
    assert look["hair"] == "buzz"
    assert look["hair_color"] == "grey"
    assert look["facial_hair"] == "light_beard"
    assert look["skin"] == DEFAULT_LOOK["skin"]
    assert normalize_look(None) == DEFAULT_LOOK
    assert normalize_look({"hat": "fedora", "hair": None}) == DEFAULT_LOOK
    assert normalize_mood("ANGRY") == "angry"
    assert normalize_mood("furious") == "neutral"
    assert normalize_mood(None) == "neutral"


def test_look_problems():
    assert look_problems({"hair": "bob", "facial_hair": "light_beard"}) == []
    problems = look_problems({"hair": "mullet", "hat": "fedora"})
    assert len(problems) == 2
    assert "mullet" in problems[0] and "hat" in problems[1]


def test_another_spelling_of_a_look_value_warns_and_names_the_spelling_to_use():
    problems = look_problems({"hair_color": "gray", "facial_hair": "stubble", "skin": "Pale"})
    assert len(problems) == 3
    assert "write 'grey' instead of 'gray'" in problems[0]
    assert "write 'light_beard' instead of 'stubble'" in problems[1]
    assert "write 'pale' instead of 'Pale'" in problems[2]


# -- rendering -------------------------------------------------------------------


@pytest.mark.parametrize("mood", MOODS)
def test_every_mood_renders_valid_svg(qapp, mood):
    svg = avatar_svg(DEFAULT_LOOK, mood)
    assert svg.lstrip().startswith("<svg")
    assert _renderer(svg).isValid()


@pytest.mark.parametrize(("field", "value"), LOOK_VALUES)
def test_every_look_value_renders_valid_svg(qapp, field, value):
    svg = avatar_svg({field: value}, "neutral")
    assert _renderer(svg).isValid()
    if value != DEFAULT_LOOK[field]:
        assert svg != avatar_svg({}, "neutral"), f"{field}={value} draws like the default"


@pytest.mark.parametrize("hair", LOOK_FIELDS["hair"])
def test_glasses_and_beard_show_with_every_hair(qapp, hair):
    # python_avatars draws glasses and facial hair inside the hair part: a hair
    # style without those slots would silently drop them.
    plain = avatar_svg({"hair": hair}, "neutral")
    assert avatar_svg({"hair": hair, "accessory": "glasses"}, "neutral") != plain
    assert avatar_svg({"hair": hair, "facial_hair": "beard"}, "neutral") != plain


def test_moods_give_different_svgs():
    for look in ({}, {"hair": "bun", "accessory": "round_glasses", "facial_hair": "beard"}):
        svgs = {avatar_svg(look, mood) for mood in MOODS}
        assert len(svgs) == len(MOODS)


def test_unknown_values_fall_back(qapp):
    default = avatar_svg(DEFAULT_LOOK, "neutral")
    weird = {"hair": "mohawk?", "skin": 42, "clothing": "", "made_up": "x", "accessory": None}
    assert avatar_svg(weird, "neutral") == default
    assert avatar_svg(None, "neutral") == default
    assert avatar_svg(DEFAULT_LOOK, "ecstatic") == default
    assert avatar_svg(DEFAULT_LOOK, "neutral", background="not a colour") == default
    assert _renderer(avatar_svg(DEFAULT_LOOK, "angry", background=None)).isValid()


def test_svg_references_resolve():
    # python_avatars leaves the sunglasses' gradient fills pointing at ids it renamed.
    import re

    for accessory in LOOK_FIELDS["accessory"]:
        svg = avatar_svg({"accessory": accessory}, "warm")
        ids = set(re.findall(r'\bid="([^"]+)"', svg))
        refs = set(re.findall(r"url\(#([^)]+)\)", svg))
        assert refs <= ids, (accessory, refs - ids)


def test_rendering_is_cached():
    look = {"hair": "bob", "hair_color": "red"}
    assert avatar_svg(look, "open") is avatar_svg(dict(look), "open")


# -- widget ----------------------------------------------------------------------


def test_widget_paints_a_face(qtbot):
    widget = AvatarWidget(look={"hair": "afro", "skin": "dark"}, mood="warm")
    qtbot.addWidget(widget)
    assert widget.sizeHint().width() == 160 and widget.sizeHint().height() == 160
    image = _paint(widget, 160, 160)
    sampled = 40 * 40
    with_disc = _opaque_pixels(image)
    assert 0.3 * sampled < with_disc < sampled  # a disc and a head, corners clear
    assert image.pixelColor(2, 158).alpha() == 0
    # Transparent background: the head and body still draw, less of the square.
    widget.set_background(None)
    image = _paint(widget, 160, 160)
    assert 0 < _opaque_pixels(image) < with_disc


def test_widget_keeps_aspect_ratio(qtbot):
    widget = AvatarWidget()
    qtbot.addWidget(widget)
    image = _paint(widget, 400, 100)
    # A 264x280 picture fitted into 400x100 is ~94 px wide, centred.
    assert image.pixelColor(10, 50).alpha() == 0
    assert image.pixelColor(390, 50).alpha() == 0
    assert image.pixelColor(200, 50).alpha() > 0
    opaque_columns = [
        x for x in range(400) if any(image.pixelColor(x, y).alpha() for y in range(0, 100, 2))
    ]
    assert 80 <= opaque_columns[-1] - opaque_columns[0] <= 100


def test_widget_mood_look_and_accessibility(qtbot):
    widget = AvatarWidget()
    qtbot.addWidget(widget)
    widget.set_person("Dana Okafor")
    widget.set_mood("guarded")
    assert widget.mood() == "guarded"
    assert widget.accessibleName() == "Dana Okafor, looks guarded"
    assert widget.accessibleDescription() == MOOD_DESCRIPTIONS["guarded"]
    guarded = widget.svg()
    assert guarded == avatar_svg(DEFAULT_LOOK, "guarded")

    # Unchanged mood: nothing is re-rendered.
    widget.set_mood("guarded")
    assert widget.svg() is guarded
    assert not widget._stale

    widget.set_mood("furious")  # unknown: neutral
    assert widget.mood() == "neutral"
    assert widget.accessibleName() == "Dana Okafor, looks neutral"

    widget.set_look({"hair": "bob", "accessory": "glasses"})
    assert widget.look()["hair"] == "bob"
    assert widget.svg() == avatar_svg({"hair": "bob", "accessory": "glasses"}, "neutral")
    widget.set_person("")
    assert widget.accessibleName() == "Counterpart, looks neutral"
