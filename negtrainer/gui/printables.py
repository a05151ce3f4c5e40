"""Printables as PDF, drawn by Qt (QTextDocument and QPdfWriter; no browser engine).

Role sheets and a teaching note for any scenario; per-participant handouts and
a workshop report for a workshop. Every text that comes from a scenario, a
database or a user is HTML-escaped before it reaches the document, so it is
printed as the plain text it is. Each function returns the number of pages.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, QSizeF, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPainter,
    QTextDocument,
)

from negtrainer.gui import roomcharts
from negtrainer.gui.pdfwriter import a4_writer

BREAK = '<div style="page-break-before: always"></div>'
CSS = """
body { font-size: 10.5pt; color: #111; }
h1 { font-size: 20pt; margin-bottom: 4pt; }
h2 { font-size: 15pt; margin-top: 14pt; margin-bottom: 4pt; }
h3 { font-size: 12pt; margin-top: 10pt; margin-bottom: 2pt; }
p.small { font-size: 9pt; color: #444; }
table { border-collapse: collapse; }
td, th { padding: 2pt 4pt; border: 1px solid #bbb; font-size: 9pt; }
th { background: #eef2f6; text-align: left; font-size: 8pt; white-space: nowrap; }
.conf { border: 2px solid #c4581c; padding: 6pt; }
"""


def e(text: Any) -> str:
    """Plain text for the document: escaped, never interpreted as markup."""
    return html.escape(str(text), quote=True)


def _app() -> None:
    # A QApplication (not a bare QGuiApplication), so the window can still open later
    # in the same process.
    if QGuiApplication.instance() is None:
        from PySide6.QtWidgets import QApplication

        _app.keep = QApplication(["negtrainer"])  # type: ignore[attr-defined]


def write_pdf(body: str, path: Path, title: str, images: dict[str, QImage] | None = None) -> int:
    """Lay the HTML out on A4 pages and write it atomically; return the page count."""
    _app()
    path = Path(path)
    tmp = path.with_name(path.name + ".partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        writer = a4_writer(str(tmp), title, (16, 16, 16, 16), 300)
        doc = QTextDocument()
        doc.setDefaultStyleSheet(CSS)
        font = QFont()
        font.setPointSizeF(10.5)
        doc.setDefaultFont(font)
        for name, image in (images or {}).items():
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
        doc.setHtml(f"<html><body>{body}</body></html>")
        # A page size in points makes a document pixel one point and keeps our
        # margins (without it Qt adds 2 cm of its own on every side).
        doc.setDocumentMargin(0)
        doc.setPageSize(writer.pageLayout().paintRectPoints().size().toSizeF())
        doc.print_(writer)
        del writer  # closes the file
        if not tmp.exists() or tmp.stat().st_size == 0:
            raise OSError(f"Qt could not write {path}")
        pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", tmp.read_bytes()))
        os.replace(tmp, path)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise OSError(
            f"Could not write {path}: {getattr(err, 'strerror', None) or err}. "
            "Check the folder exists and can be written to."
        ) from None
    return pages


def chart_image(
    draw: Callable[[QPainter, QRectF], None],
    width_mm: float = 170,
    height_mm: float = 70,
    dpi: int = 200,
) -> QImage:
    """A chart painted into an image for the page (white background, dark text)."""
    px = dpi / 25.4
    img = QImage(int(width_mm * px), int(height_mm * px), QImage.Format.Format_RGB32)
    img.setDotsPerMeterX(int(dpi / 0.0254))
    img.setDotsPerMeterY(int(dpi / 0.0254))
    img.fill(QColor("white"))
    p = QPainter(img)
    try:
        f = QFont()
        f.setPixelSize(int(10 / 72 * dpi))  # 10 pt on paper, whatever the image's own dpi
        p.setFont(f)
        draw(p, QRectF(0, 0, img.width(), img.height()).adjusted(4, 4, -4, -4))
    finally:
        p.end()
    return img


def _img(name: str, width_mm: float = 170) -> str:
    # Printed through QTextDocument, a document pixel is a point (72 per inch).
    return f'<p><img src="{name}" width="{int(width_mm / 25.4 * 72)}"></p>'


def _table(head: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    out = ['<table cellspacing="0" width="100%"><tr>']
    # A heading breaks between its words only (Qt broke "Participant" mid-word to fit).
    out += ["<th>" + "<br>".join(e(w) for w in str(h).split()) + "</th>" for h in head]
    out.append("</tr>")
    for r in rows:
        out.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>")
    out.append("</table>")
    return "".join(out)


def _paras(text: str) -> str:
    return "".join(f"<p>{e(p.strip())}</p>" for p in str(text).split("\n\n") if p.strip())


# -- scenario printables ---------------------------------------------------------------------
def _issues_table(sc: Any, side: str | None) -> str:
    rows = []
    for issue in sc.spec.issues.values():
        for i, opt in enumerate(issue.options):
            value = ""
            if side == "you":
                value = f"{issue.you[i]:g}"
            elif side == "them":
                value = f"{issue.them[i]:g}"
            rows.append([issue.label if i == 0 else "", opt] + ([value] if side else []))
    if not rows:
        return ""
    head = ["Issue", "Option"] + (["Points for you"] if side else [])
    return "<h3>The issues on the table</h3>" + _table(head, rows)


def role_sheets_html(sc: Any) -> str:
    s = sc.spec
    cp, me = s.counterpart, s.learner
    parts = [
        (
            f"<h1>{e(s.title)}</h1><p class='small'>Role sheets · about {s.minutes} minutes · "
            f"{e(s.difficulty)}</p>"
        ),
        "<h2>General instructions (for both players)</h2>",
        _paras(s.summary),
        f"<h3>{e(me.role)}</h3>",
        _paras(me.public_brief),
        f"<h3>{e(cp.name)}, {e(cp.role)}</h3>",
        _paras(cp.public_brief),
        _issues_table(sc, None),
        (
            "<p class='small'>Each player reads only their own confidential sheet. Talk for "
            "the time agreed, then compare what you each knew.</p>"
        ),
        BREAK,
        f"<h1>Confidential: {e(me.role)}</h1><p class='small'>For your eyes only.</p>",
        f"<div class='conf'>{_paras(me.public_brief)}{_paras(me.confidential_brief)}</div>",
        _issues_table(sc, "you"),
        _learner_walkaway_text(sc),
        BREAK,
        f"<h1>Confidential: {e(cp.name)}</h1><p>{e(cp.role)}. For your eyes only.</p>",
        f"<div class='conf'>{_paras(cp.public_brief)}{_paras(cp.confidential_brief)}</div>",
        _issues_table(sc, "them"),
    ]
    if s.interests:
        parts.append(
            "<h3>What really matters to you (do not say it unless you are asked well "
            "and trust the other side)</h3><ul>"
        )
        parts += [
            f"<li>{e(i.label)}: hint at it with “{e(i.hint.text)}”"
            + "".join(f" {e(m)}" for m in _musts(sc, i))
            + "</li>"
            for i in s.interests.values()
        ]
        parts.append("</ul>")
    if s.negotiation is not None:
        parts.append(_their_walkaway_text(sc))
    return "".join(parts)


def _musts(sc: Any, interest: Any) -> list[str]:
    """An interest's needs as a player reads them: terms it cannot accept, whatever
    the trust."""
    out = []
    for need in getattr(interest, "needs", []):
        issue = sc.spec.issues.get(need.issue)
        label = issue.label if issue is not None else need.issue
        if need.allow:
            out.append(
                f"You cannot accept a deal unless {label} is one of: {', '.join(need.allow)}."
            )
        if need.forbid:
            out.append(f"You cannot accept {label}: {' or '.join(need.forbid)}.")
    return out


def _their_walkaway_text(sc: Any) -> str:
    from negtrainer.engine import counterpart as cp

    neg = sc.spec.negotiation
    if sc.spec.format < 2:
        return (
            f"<p>Your walk-away: accept no deal worth less than {neg.reservation or 0:g} points "
            "to you. If you trust the other side, you may accept a little less; if you do "
            "not, ask for more.</p>"
        )
    text = (
        f"<p>Your walk-away: accept no deal worth less than {cp.walkaway(sc):g} points to "
        "you, however much you like the other side. Open higher and give ground slowly."
    )
    if neg.risk_discount:
        text += (
            " Some terms are a risk for you (a promise of later delivery, say): they are "
            "worth less to you until you trust the person offering them."
        )
    return text + "</p>"


def _learner_walkaway_text(sc: Any) -> str:
    wa = sc.spec.learner.walkaway
    if wa is None or sc.spec.negotiation is None:
        return ""
    return (
        f"<p>Your walk-away: accept no deal worth less than {wa:g} points to you; "
        "walking away is better than that.</p>"
    )


def role_sheets(sc: Any, path: Path) -> int:
    _app()
    return write_pdf(role_sheets_html(sc), path, f"{sc.title}: role sheets")


def _walkaways_note(sc: Any) -> str:
    """The teaching note's account of the walk-aways and of what trust does."""
    from negtrainer.engine import counterpart as cp

    s = sc.spec
    neg = s.negotiation
    if s.format < 2:
        return (
            f"<p>The counterpart's walk-away is {neg.reservation or 0:g} points at trust 50; "
            f"every point of trust above 50 lowers it by {neg.trust_effect:g}.</p>"
        )
    tactics = {
        "firm": "holds firm and concedes late",
        "steady": "concedes steadily",
        "yielding": "concedes early",
    }
    ways = "; ".join(
        f"{e(name)} {tactics.get(v.tactic, v.tactic)}" for name, v in s.counterpart.variants.items()
    )
    text = (
        f"<p>The counterpart never accepts a deal worth less than {cp.walkaway(sc):g} points "
        "to them, whatever the trust, nor one that breaks a need it holds. It opens from "
        f"its best deal and concedes towards its walk-away over {neg.max_offers} offers "
        f"({ways}). Trust moves what it holds out for by at most {neg.max_trust_effect:g} "
        "points, never below the walk-away"
    )
    if neg.risk_discount:
        text += (
            f", and discounts up to {neg.risk_discount:.0%} of the risk it sees in risky "
            "terms: trust lowers perceived risk, not the floor"
        )
    text += ".</p>"
    if s.learner.walkaway is not None:
        text += f"<p>The learner's walk-away is {s.learner.walkaway:g} points.</p>"
    return text


def teaching_note_html(sc: Any, questions: Sequence[str] | None = None) -> str:
    from negtrainer.engine.analysis import expert_path
    from negtrainer.engine.skills import SKILLS
    from negtrainer.workshop.model import default_questions

    s = sc.spec
    parts = [
        f"<h1>Teaching note: {e(s.title)}</h1>",
        (
            f"<p class='small'>{e(s.difficulty)} · about {s.minutes} minutes · "
            f"{len(s.counterpart.variants)} counterpart personalities</p>"
        ),
        "<h2>Objectives</h2><ul>",
    ]
    for key in s.skills:
        skill = SKILLS.get(key)
        if skill is not None:
            parts.append(f"<li><b>{e(skill.title)}.</b> {e(skill.lesson)}</li>")
    parts.append("</ul><h2>The situation</h2>" + _paras(s.summary))
    parts.append(
        f"<h3>The learner: {e(s.learner.role)}</h3>" + _paras(s.learner.confidential_brief)
    )
    parts.append(
        f"<h3>The counterpart: {e(s.counterpart.name)}, {e(s.counterpart.role)}</h3>"
        + _paras(s.counterpart.confidential_brief)
    )
    parts.append("<h2>Interests and walk-aways</h2>")
    if s.interests:
        parts.append(
            _table(
                ["Hidden interest", "Surfaces at trust", "Hint the learner hears"],
                [[i.label, f"{i.trust:g}", i.hint.text] for i in s.interests.values()],
            )
        )
    if s.negotiation is not None:
        parts.append(_walkaways_note(sc))
    if sc.best_joint is not None:
        value, terms = sc.best_joint
        parts.append(
            f"<p>The best deal for both sides is worth {value:g} points together: "
            f"{e(sc.terms_text(terms))}.</p>"
        )
    parts.append("<h2>What good play looks like</h2>")
    variant = next(iter(s.counterpart.variants))
    try:
        expert = expert_path(sc, variant)
    except Exception:  # noqa: BLE001 - the note is still useful without the path
        expert = None
    if expert is not None:
        parts.append(
            f"<p>Against the {e(variant)} counterpart, the best path found by the analysis:</p><ol>"
        )
        parts += [f"<li>{e(line)}</li>" for line in expert["said"]]
        parts.append("</ol>")
    else:
        parts.append("<p>The analysis found no single best path for this scenario.</p>")
    parts.append("<h3>How it can end</h3>")
    parts.append(
        _table(
            ["Ending", "Kind", "What it means"],
            [[end.title, end.kind, end.text] for end in s.endings.values()],
        )
    )
    parts.append("<h2>Debrief questions</h2><ol>")
    parts += [f"<li>{e(q)}</li>" for q in (questions or default_questions(sc))]
    parts.append("</ol>")
    return "".join(parts)


def teaching_note(sc: Any, path: Path) -> int:
    _app()
    return write_pdf(teaching_note_html(sc), path, f"{sc.title}: teaching note")


# -- workshop printables ----------------------------------------------------------------------
# Short column heads for the engine's measures (the full label is on the handout).
SHORT = {
    "open_questions": "Open Qs",
    "reflection_ratio": "Listening",
    "complex_reflections": "Deeper",
    "first_offer": "1st offer",
    "rapport": "Rapport",
    "interests": "Interests",
    "trust": "Trust",
    "competitive": "Pressure",
    "value_created": "Value made",
    "value_claimed": "Value kept",
}


def _quality(summary: dict[str, Any]) -> str:
    q = summary.get("quality")
    return "" if q is None else f"{q:.0%}"


def _trust(summary: dict[str, Any]) -> str:
    t = summary.get("trust") or [0]
    return f"{t[0]:.0f} → {t[-1]:.0f}"


def _exercise_section(v: Any, n: int, images: dict[str, QImage]) -> str:
    ex = v.exercise
    parts = [
        f"<h2>Exercise {e(ex.id)}: {e(v.title)}</h2>",
        (
            f"<p class='small'>{'Everyone met the ' + e(ex.variant) + ' counterpart' if ex.fixed else 'Counterpart drawn per participant'}"
            f" · time box {ex.minutes} min · {len(v.played)} finished session(s)</p>"
        ),
    ]
    if not v.played:
        return "".join(parts) + "<p>No finished sessions were collected for this exercise.</p>"
    fg = QColor("#111111")
    images[f"outcomes{n}"] = chart_image(
        lambda p, r: roomcharts.outcome_bars(p, r, v.outcomes, fg),
        height_mm=12 + 9 * len(v.outcomes),
    )
    curves = [p.summary.get("trust") or [] for p in v.played]
    best = v.played.index(v.best) if v.best in v.played else None
    worst = v.played.index(v.worst) if v.worst in v.played else None
    images[f"trust{n}"] = chart_image(
        lambda p, r: roomcharts.trust_curves(p, r, curves, fg, best, worst)
    )
    parts.append("<h3>Outcomes</h3>" + _img(f"outcomes{n}", 150))
    parts.append("<p>" + e(", ".join(f"{o}: {c}" for o, c in v.outcomes)) + "</p>")
    parts.append(
        "<h3>Trust over the session (best in blue, worst in orange)</h3>" + _img(f"trust{n}")
    )
    measures = [(k, SHORT.get(k, lab)) for k, lab in v.measures if k != "trust"][:6]
    rows = []
    for p in v.played:
        m = p.summary.get("measures", {})
        rows.append(
            [p.participant, p.summary.get("outcome", ""), _quality(p.summary), _trust(p.summary)]
            + [m.get(k, {}).get("rating", "") for k, _ in measures]
        )
    parts.append(
        "<h3>Participants</h3>"
        + _table(["Participant", "Outcome", "Deal", "Trust"] + [lab for _, lab in measures], rows)
    )
    if v.best is not None and v.worst is not None:
        parts.append(
            "<h3>Best and worst side by side</h3>"
            + _table(
                ["", f"Best: {v.best.participant}", f"Worst: {v.worst.participant}"],
                [
                    [
                        "Outcome",
                        v.best.summary.get("outcome", ""),
                        v.worst.summary.get("outcome", ""),
                    ],
                    ["Trust", _trust(v.best.summary), _trust(v.worst.summary)],
                    [
                        "Deal quality",
                        _quality(v.best.summary) or "no deal",
                        _quality(v.worst.summary) or "no deal",
                    ],
                ],
            )
        )
    if v.decisions:
        parts.append("<h3>Choices the room made</h3>")
        for d in v.decisions[:6]:
            parts.append(
                f"<p><b>“{e(d.prompt)}”</b></p>"
                + _table(["Said", "How many"], [[label, n] for label, n in d.counts[:5]])
            )
    if v.lessons:
        parts.append(
            "<h3>Lessons</h3><ul>"
            + "".join(f"<li><b>{e(t)}.</b> {e(lesson)}</li>" for t, lesson in v.lessons)
            + "</ul>"
        )
    if ex.questions:
        parts.append(
            "<h3>Debrief questions</h3><ol>"
            + "".join(f"<li>{e(q)}</li>" for q in ex.questions)
            + "</ol>"
        )
    return "".join(parts)


def workshop_report_html(
    w: Any, views: Sequence[Any], anonymous: bool
) -> tuple[str, dict[str, QImage]]:
    images: dict[str, QImage] = {}
    names = ", ".join(p.pseudonym if anonymous else p.name for p in w.participants)
    parts = [
        f"<h1>Workshop report: {e(w.name)}</h1>",
        (
            f"<p class='small'>{e(datetime.now().strftime('%d %B %Y'))} · "
            f"{len(w.participants)} participant(s) · {len(w.exercises)} exercise(s)"
            f"{' · names replaced by pseudonyms' if anonymous else ''}</p>"
        ),
        f"<p><b>Participants:</b> {e(names) or 'none listed'}</p>",
    ]
    for n, v in enumerate(views):
        if n:
            parts.append(BREAK)
        parts.append(_exercise_section(v, n, images))
    return "".join(parts), images


def handouts_html(w: Any, views: Sequence[Any]) -> tuple[str, dict[str, QImage]]:
    """One debrief page per participant: for each exercise they played, their last
    session (and how many they played)."""
    images: dict[str, QImage] = {}
    fg = QColor("#111111")
    # participant -> exercise view -> their sessions of it, in the order played
    by_who: dict[str, dict[int, list[Any]]] = {}
    for i, v in enumerate(views):
        for p in v.played:
            by_who.setdefault(p.participant, {}).setdefault(i, []).append(p)
    parts: list[str] = []
    for who, played in by_who.items():
        if parts:
            parts.append(BREAK)
        parts.append(f"<h1>{e(who)}: your debrief</h1>")
        for i, sessions in played.items():
            v, p = views[i], sessions[-1]
            key = f"h{len(images)}"
            curve = p.summary.get("trust") or []
            images[key] = chart_image(
                lambda pa, r, c=curve: roomcharts.trust_curves(pa, r, [c], fg, 0, None),
                height_mm=55,
            )
            m = p.summary.get("measures", {})
            times = (
                f" You played it {len(sessions)} times; this is your last session."
                if len(sessions) > 1
                else ""
            )
            parts += [
                (
                    f"<p class='small'>{e(w.name)} · exercise {e(v.exercise.id)}: "
                    f"{e(v.title)}.{e(times)}</p>"
                ),
                f"<p><b>Outcome:</b> {e(p.summary.get('outcome', ''))}"
                + (f" (deal quality {_quality(p.summary)})" if _quality(p.summary) else "")
                + f" · <b>trust</b> {e(_trust(p.summary))}</p>",
                "<h3>Your trust over the session</h3>",
                _img(key, 150),
                "<h3>Your measures</h3>",
                _table(
                    ["Measure", "You", "Rating"],
                    [
                        [x.get("label", k), x.get("display", ""), x.get("rating", "")]
                        for k, x in m.items()
                    ],
                ),
            ]
            if v.lessons:
                t, lesson = v.lessons[0]
                parts.append(f"<h3>Remember</h3><p><b>{e(t)}.</b> {e(lesson)}</p>")
            if v.exercise.questions:
                parts.append(
                    "<h3>To think about</h3><ol>"
                    + "".join(f"<li>{e(q)}</li>" for q in v.exercise.questions[:3])
                    + "</ol>"
                )
    if not parts:
        parts.append("<p>No finished sessions yet: nothing to hand out.</p>")
    return "".join(parts), images


def workshop_report(
    store: Any, w: Any, path: Path, anonymous: bool = False, *, handouts: bool = False
) -> int:
    from negtrainer.workshop import service

    _app()
    views = service.views(store, w, anonymous)
    if handouts:
        body, images = handouts_html(w, views)
        return write_pdf(body, path, f"{w.name}: handouts", images)
    body, images = workshop_report_html(w, views, anonymous)
    return write_pdf(body, path, f"{w.name}: workshop report", images)


__all__ = ["QSizeF", "role_sheets", "teaching_note", "workshop_report", "write_pdf"]
