"""Command line: argument parsing only; the work is done by the packages.

negtrainer                      open the trainer (GUI)
negtrainer play SCENARIO        play in the terminal
negtrainer check [PATH...]      validate and analyse scenarios
negtrainer list                 the scenario library
negtrainer sessions ...         list, show, export, import, delete, restore
negtrainer learners ...         list, rename or remove learners
negtrainer workshop ...         facilitator workshops: new, join, collect, report, …
negtrainer rolesheets SCENARIO  role sheets (PDF) for play on paper
negtrainer voices               the speech engine's voices
negtrainer say SCENARIO LINE    hear one line in its counterpart's voice
negtrainer schema               write scenarios/schema.json
negtrainer understand           typed lines on stdin -> what each is understood as (JSON)
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FAIL, EXIT_BAD_INPUT = 0, 1, 2
FORCE_HELP = "replace an existing file that is not of the kind written"
# What each workshop command that writes a file writes (see exchange.FILE_KINDS).
WRITES = {"export": "workshop", "results": "results", "xapi": "xapi", "report": "pdf"}
# Analysis findings that make `check` fail: the scenario cannot be played through.
ERROR_FINDINGS = ("NT302",)


# The database keeps a seed as a signed 64-bit integer.
MAX_SEED = 2**63 - 1


def _seed(text: str) -> int:
    """A --seed as given: a whole number the database can keep, else argparse says so."""
    digits = text.strip()
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 19 or int(digits) > MAX_SEED:
        raise argparse.ArgumentTypeError(
            f"the seed must be a whole number from 0 to {MAX_SEED} (it was {digits[:30]!r}"
            + ("…)" if len(digits) > 30 else ")")
        )
    return int(digits)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="negtrainer", description="A role-play trainer for negotiation."
    )
    p.add_argument("--db", help="session database (default: NEGTRAINER_DB or the user data folder)")
    p.add_argument("--version", action="store_true", help="print the version")
    p.add_argument(
        "--start-fresh",
        action="store_true",
        help="if the database is damaged, move it aside (kept) and start a new one",
    )
    # --db is accepted after any command too (negtrainer sessions list --db x.db).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        help="session database (default: NEGTRAINER_DB or the user data folder)",
    )
    sub = p.add_subparsers(dest="command")
    _add = sub.add_parser

    def add_parser(name: str, **kw: Any) -> argparse.ArgumentParser:
        return _add(name, parents=[common], **kw)

    sub.add_parser = add_parser  # type: ignore[method-assign]

    sub.add_parser("gui", help="open the trainer window (the default)")

    play = sub.add_parser("play", help="play a scenario in the terminal")
    play.add_argument("scenario", nargs="?", help="built-in id or path to a .yaml file")
    play.add_argument(
        "--seed", type=_seed, default=None, help=f"seed, 0 to {MAX_SEED} (default: random)"
    )
    play.add_argument("--variant", help="counterpart personality (default: from the seed)")
    play.add_argument(
        "--script",
        help="file of inputs, one a line (number, choice id, "
        "'offer k=v ...', 'accept', or your own words)",
    )
    play.add_argument("--learner", default=None, help="who is playing")
    play.add_argument("--no-save", action="store_true", help="do not record the session")
    play.add_argument("--resume", metavar="ID", help="resume an unfinished session")
    play.add_argument("--no-briefs", action="store_true", help="skip the briefs")
    play.add_argument(
        "--jsonl",
        action="store_true",
        help="machine interface: one JSON object per step (docs/jsonl-protocol.md)",
    )
    play.add_argument(
        "--coach", action="store_true", help="with --jsonl: include hidden state and move types"
    )

    check = sub.add_parser("check", help="validate and analyse scenarios")
    check.add_argument(
        "paths", nargs="*", help="scenario files or folders (default: built-in and your own)"
    )
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument("--seeds", type=int, default=None, help="seeds per strategy and variant")
    check.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="processes to analyse files in (default: one per core)",
    )

    sub.add_parser("list", help="list the scenario library")

    upgrade = sub.add_parser("upgrade", help="rewrite a format 1 scenario as format 2")
    upgrade.add_argument("file", help="the .yaml file")
    upgrade.add_argument("-o", "--output", help="write here (default: FILE with .v2.yaml)")

    schema = sub.add_parser("schema", help="print the scenario JSON Schema")
    schema.add_argument("-o", "--output", help="write it to this file instead")
    schema.add_argument(
        "--check", action="store_true", help="exit 1 if the built-in scenarios/schema.json is stale"
    )

    sessions = sub.add_parser("sessions", help="recorded sessions")
    ssub = sessions.add_subparsers(dest="action", required=True)
    _sadd = ssub.add_parser

    def add_session_parser(name: str, **kw: Any) -> argparse.ArgumentParser:
        return _sadd(name, parents=[common], **kw)

    ssub.add_parser = add_session_parser  # type: ignore[method-assign]
    ls = ssub.add_parser("list", help="list sessions, newest first")
    ls.add_argument("--learner")
    ls.add_argument("--scenario")
    ls.add_argument("--json", action="store_true")
    show = ssub.add_parser("show", help="a session's transcript with state per turn")
    show.add_argument("id")
    show.add_argument("--json", action="store_true")
    exp = ssub.add_parser("export", help="export sessions to a JSON file")
    exp.add_argument("ids", nargs="*", help="session ids (default: all)")
    exp.add_argument("-o", "--output", required=True)
    exp.add_argument(
        "--force", action="store_true", help="replace an existing file that is not a sessions file"
    )
    imp = ssub.add_parser("import", help="import sessions from exported files")
    imp.add_argument("files", nargs="+")
    rm = ssub.add_parser("delete", help="delete a session")
    rm.add_argument("id")
    rm.add_argument("--yes", action="store_true", help="do not ask")
    rs = ssub.add_parser("restore", help="replace the database with a backup")
    rs.add_argument("backup", nargs="?", help="backup file (omit to list backups)")
    ssub.add_parser("backup", help="make a backup now")

    learners = sub.add_parser("learners", help="list, rename or remove learners")
    learners.add_argument("action", nargs="?", choices=("list", "rename", "remove"))
    learners.add_argument("learner", nargs="?", help="name, or #ID as listed")
    learners.add_argument("new_name", nargs="?", help="for rename: the new name")
    learners.add_argument("--yes", action="store_true", help="do not ask")

    _workshop_parser(sub, common)
    roles = sub.add_parser(
        "rolesheets", help="print a scenario's role sheets (PDF) for play on paper"
    )
    roles.add_argument("scenario", help="built-in id or path to a .yaml file")
    roles.add_argument("-o", "--output", required=True, help="the PDF to write")
    roles.add_argument("--force", action="store_true", help=FORCE_HELP)
    roles.add_argument(
        "--teaching-note", action="store_true", help="write the facilitator's teaching note instead"
    )

    voices = sub.add_parser("voices", help="list the speech engine's voices")
    voices.add_argument("--json", action="store_true")
    und = sub.add_parser(
        "understand",
        help="read typed lines on stdin; print what each is understood as, one JSON object a line",
    )
    und.add_argument("--scenario", help="match against this scenario's choices")
    und.add_argument("--node", help="at this node (default: the scenario's start)")

    say = sub.add_parser("say", help="speak one counterpart line")
    say.add_argument("scenario")
    say.add_argument("line_id")
    say.add_argument("--rate", type=int)
    return p


def _workshop_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    w = sub.add_parser("workshop", help="facilitator workshops: prepare, play, collect, report")
    wsub = w.add_subparsers(dest="action", required=True)
    _wadd = wsub.add_parser

    def add(name: str, **kw: Any) -> argparse.ArgumentParser:
        return _wadd(name, parents=[common], **kw)

    def writes(
        name: str, summary: str, anonymous: str = "pseudonyms instead of names"
    ) -> argparse.ArgumentParser:
        """A command that writes a file from a workshop: which one, where to, names or not."""
        cmd = add(name, help=summary)
        cmd.add_argument("workshop")
        cmd.add_argument("-o", "--output", required=True)
        cmd.add_argument("--anonymous", action="store_true", help=anonymous)
        cmd.add_argument("--force", action="store_true", help=FORCE_HELP)
        return cmd

    new = add("new", help="create a workshop")
    new.add_argument("name")
    new.add_argument(
        "--participant",
        action="append",
        default=[],
        help="a participant's name or pseudonym (repeat, or Ana,Ben,Cy)",
    )
    part = add("add-participant", help="add participants")
    part.add_argument("workshop", help="workshop name or id")
    part.add_argument("names", nargs="+")
    part.add_argument("--team")
    rm = add(
        "remove-participant",
        help="take a participant off the list (their sessions stay in the results)",
    )
    rm.add_argument("workshop", help="workshop name or id")
    rm.add_argument("name", help="the participant's name or pseudonym")
    ren = add("rename", help="give a workshop a new name")
    ren.add_argument("workshop", help="workshop name or id")
    ren.add_argument("new_name")
    dl = add("delete", help="delete a workshop (its sessions stay, untagged)")
    dl.add_argument("workshop", help="workshop name or id")
    dl.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    ex = add("add-exercise", help="add an exercise (a scenario) to a workshop")
    ex.add_argument("workshop", help="workshop name or id")
    ex.add_argument("scenario", help="built-in id or path to a .yaml file")
    ex.add_argument(
        "--variant",
        default="random",
        help="counterpart: one variant for everyone, or 'random' per participant",
    )
    ex.add_argument("--minutes", type=int, help="time box (default: the scenario's length)")
    ex.add_argument("--question", action="append", help="a debrief question (repeat)")
    add("list", help="list workshops")
    show = add("show", help="a workshop, its exercises and results so far")
    show.add_argument("workshop")
    show.add_argument("--anonymous", action="store_true", help="pseudonyms instead of names")
    writes("export", "write the workshop file for the laptops")
    join = add("join", help="open a workshop file on this laptop")
    join.add_argument("file")
    play = add("play", help="play an exercise for a participant in the terminal")
    play.add_argument("workshop")
    play.add_argument("exercise", help="exercise id (e1, e2, …)")
    play.add_argument("--participant", required=True, help="who plays (or Guest)")
    play.add_argument("--script", help="file of inputs, one a line")
    writes(
        "results",
        "export this laptop's results for the facilitator",
        anonymous="pseudonyms, no notes",
    )
    col = add("collect", help="collect results files from the laptops")
    col.add_argument("workshop")
    col.add_argument("files", nargs="+")
    rep = writes("report", "write the workshop report (PDF)")
    rep.add_argument(
        "--handouts",
        action="store_true",
        help="one debrief page per participant instead of the report",
    )
    writes("xapi", "export the collected sessions as xAPI statements (JSON)")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.version:
        from negtrainer import __version__

        print(f"negtrainer {__version__}")
        return EXIT_OK
    if args.db:
        os.environ["NEGTRAINER_DB"] = args.db
    command = args.command or "gui"
    from negtrainer.plaintext import PlainStream

    # Everything printed may hold scenario or learner text: no control characters.
    real = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = PlainStream(real[0]), PlainStream(real[1])
    try:
        return COMMANDS[command](args)
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return EXIT_FAIL
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    finally:
        _close_opened()
        sys.stdout, sys.stderr = real


# -- commands -----------------------------------------------------------------------
def _no_display() -> bool:
    """On Linux/BSD without X11 or Wayland, Qt would abort with a cryptic message."""
    if sys.platform.startswith(("win", "darwin")) or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def cmd_gui(args: argparse.Namespace) -> int:
    if _no_display():
        print(
            "negtrainer: there is no screen to open the trainer window on (no DISPLAY or "
            "WAYLAND_DISPLAY). Run it from a desktop session, or play in the terminal: "
            "negtrainer list, then negtrainer play SCENARIO.",
            file=sys.stderr,
        )
        return EXIT_FAIL
    try:
        from negtrainer.gui.app import main as gui_main
    except ImportError as e:
        print(
            f"The trainer window cannot start: {e}. Install the Qt libraries "
            "(pip install PySide6-Essentials PySide6-Addons) or play in the terminal: "
            "negtrainer play",
            file=sys.stderr,
        )
        return EXIT_FAIL
    return gui_main([], db_path=args.db)


def _load(name: str) -> Any:
    """Load a scenario by id or path; print diagnostics and return None on failure."""
    from negtrainer.engine.loader import try_load
    from negtrainer.library import NotFound, resolve

    try:
        path = resolve(name)
    except NotFound as e:
        print(f"negtrainer: {e}", file=sys.stderr)
        return None
    scenario, diags = try_load(path)
    for d in diags:
        if scenario is None or d.severity == "error":
            print(d.format(), file=sys.stderr)
    return scenario


# The stores a command opened: closed as it ends (see main), which copies the write-ahead
# log into the database file and removes it, so the database is one file again.
_OPENED: list[Any] = []


def _close_opened() -> None:
    while _OPENED:
        try:
            _OPENED.pop().close()
        except Exception:  # closing must not hide the command's own outcome
            logging.getLogger(__name__).exception("could not close the session database")


def _db_path(args: argparse.Namespace) -> tuple[Path, bool]:
    """The session database's path, and whether the user named it (--db or NEGTRAINER_DB)
    rather than it being the data folder's default."""
    from negtrainer.store import default_db_path
    from negtrainer.store.location import ENV_VAR

    named = bool(getattr(args, "db", None) or os.environ.get(ENV_VAR, "").strip())
    return Path(getattr(args, "db", None) or default_db_path()).expanduser(), named


def _read_only(path: Path) -> str | None:
    """Why an existing database cannot be written (its file, or its folder, which must take
    the files SQLite writes beside it), or None."""
    if not path.is_file():
        return None
    if not os.access(path, os.W_OK):
        return "you may not write to the file"
    if not os.access(path.parent, os.W_OK):
        return f"you may not write to its folder {path.parent}"
    return None


def _open_store(args: argparse.Namespace, readonly_ok: bool = False, listing: bool = False) -> Any:
    """The session database for a command, or None once it has said why not. A command that
    only reads (``readonly_ok``) creates nothing, and reads a database it cannot write. A
    ``listing`` on a first run, before the default database exists, lists nothing."""
    from negtrainer.store import DamagedDatabase, NewerDatabase, Store, StoreError

    path, named = _db_path(args)
    if listing and not path.exists() and not named:
        # A first run: nothing is recorded yet, which is no error (and nothing is made).
        return Store.memory()
    if readonly_ok and not path.exists():
        print(
            f"negtrainer: there is no session database at {path}; nothing was created. "
            "Sessions are saved there once one is played; to read another database, give "
            "its path with --db.",
            file=sys.stderr,
        )
        return None
    try:
        store = Store.open(path, create_if_damaged=args.start_fresh, make_folder=not named)
    except DamagedDatabase as e:
        print(f"negtrainer: {e}", file=sys.stderr)
        print(
            "To keep the damaged file aside and start a fresh database, run the same "
            "command again with --start-fresh (before the command name).",
            file=sys.stderr,
        )
        return None
    except StoreError as e:
        why = _read_only(path) if not isinstance(e, NewerDatabase) else None
        if readonly_ok and not isinstance(e, NewerDatabase) and path.is_file():
            try:
                store = Store.open_readonly(path)
            except StoreError:
                pass
            else:
                said = f"the session database {path} is read-only ({why})." if why else str(e)
                print(
                    f"negtrainer: note: {said} It was opened read-only: listing, showing "
                    "and exporting work; nothing can be changed.",
                    file=sys.stderr,
                )
                return store
        if why:
            print(
                f"negtrainer: the session database {path} is read-only ({why}), and this "
                "command changes it; nothing was changed. Make it writable, or copy it to a "
                "folder you can write to and name the copy with --db.",
                file=sys.stderr,
            )
            return None
        print(f"negtrainer: {e}", file=sys.stderr)
        return None
    if store.integrity_problem:
        print(
            f"negtrainer: WARNING: the session database {store.path} is damaged: "
            f"{store.integrity_problem}. Export what you can now (negtrainer sessions "
            "export -o rescue.json), then restore a backup (negtrainer sessions restore).",
            file=sys.stderr,
        )
    _OPENED.append(store)
    return store  # a damaged file moved aside is reported by the store itself


def cmd_play(args: argparse.Namespace) -> int:
    from negtrainer.engine.session import Session
    from negtrainer.terminal import TerminalPlayer

    store = None
    recorder = None
    if args.learner:
        # Checked before anything is played: a name refused at the end cost the session.
        from negtrainer.store import StoreError
        from negtrainer.store.models import clean_name

        try:
            args.learner = clean_name(args.learner)
        except StoreError as e:
            print(f"negtrainer play: {e}", file=sys.stderr)
            return EXIT_BAD_INPUT
    learner = args.learner or None
    kept: Any = "The session is kept as unfinished."
    if args.resume:
        store = _open_store(args)
        if store is None:
            return EXIT_FAIL
        from negtrainer.store import StoreError

        try:
            session_id = store.resolve_id(args.resume)
            session = store.resume(session_id)
        except (StoreError, ValueError) as e:  # user-facing messages
            print(f"negtrainer: {e}", file=sys.stderr)
            return EXIT_FAIL
        from negtrainer.store import Recorder

        recorder = Recorder(store, session_id, session)
    else:
        if not args.scenario:
            print("negtrainer play: name a scenario (negtrainer list shows them)", file=sys.stderr)
            return EXIT_BAD_INPUT
        scenario = _load(args.scenario)
        if scenario is None:
            return EXIT_BAD_INPUT
        seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
        try:
            session = Session.start(
                scenario, seed=seed, variant=args.variant, learner=args.learner or ""
            )
        except ValueError as e:
            print(f"negtrainer play: {e}", file=sys.stderr)
            return EXIT_BAD_INPUT
        if args.no_save:
            kept = "It was not saved (--no-save)."
        else:
            store = _open_store(args)
            if store is None:
                print(
                    "negtrainer: playing without saving; at the end the session is "
                    "written to a file you can import later.",
                    file=sys.stderr,
                )
                kept = "It could not be saved to the database; see below for its file."
            else:
                from negtrainer.store import Recorder, StoreError

                try:
                    # Whoever plays is named (--learner) or is Guest: never the last
                    # player by default, which on a shared laptop is someone else.
                    learner = args.learner or None

                    def tell(e: Exception) -> None:
                        print(
                            f"negtrainer: {e} Playing on; if it still cannot be saved, the "
                            "session is written to a file at the end.",
                            file=sys.stderr,
                        )

                    recorder = Recorder.start(store, scenario, session, learner, on_error=tell)
                except StoreError as e:
                    print(
                        f"negtrainer: {e} Playing on; at the end the session is written to "
                        "a file you can import later.",
                        file=sys.stderr,
                    )
    if recorder is not None:
        rec = recorder
        kept = lambda: (
            "The session is kept as unfinished; go on with it later with: "
            f"negtrainer play --resume {rec.session_id}"
            if rec.flush()
            else "It could not be saved to the database; see below for its file."
        )
    player = TerminalPlayer(
        session,
        out=sys.stdout,
        driver=recorder,
        kept=kept,
        show_briefs=not args.no_briefs and not args.resume,
    )
    return _drive(
        player,
        args.script,
        recorder,
        learner=learner,
        no_save=args.no_save,
        jsonl=args.jsonl,
        coach=args.coach,
    )


def _drive(
    player: Any,
    script: str | None,
    recorder: Any,
    *,
    learner: str | None = None,
    no_save: bool = False,
    jsonl: bool = False,
    coach: bool = False,
) -> int:
    """Play from a script, the keyboard or a pipe (or the JSON-lines interface); then make
    sure the session is kept: in the database, or else in a rescue file."""
    from negtrainer.terminal import prompt_lines

    session = player.session
    lines: Any = None
    if script:
        try:
            with open(script, encoding="utf-8") as f:
                lines = f.read(1_000_000).splitlines()
        except (OSError, UnicodeDecodeError) as e:
            print(f"negtrainer play: cannot read the script {script}: {e}", file=sys.stderr)
            return EXIT_BAD_INPUT
    if jsonl:
        from negtrainer import jsonl as machine

        code = machine.run(
            session, lines if lines is not None else sys.stdin, coach=coach, driver=recorder
        )
    elif lines is not None:
        code = player.run(lines, interactive=False, script_name=script)
    elif sys.stdin.isatty():
        code = player.run(prompt_lines(sys.stdout), interactive=True)
    else:
        # Piped input is read like typed input: a line it cannot use is answered and
        # skipped, never the end of the session (a --script stops, naming the line).
        code = player.run(sys.stdin, interactive=False, script_name="stdin", keep_going=True)
    if recorder is not None and recorder.flush():
        if not jsonl:
            print(f"(session {recorder.session_id[:8]} saved)")
        if recorder.store.integrity_problem:
            _copy_out_of_damaged(recorder)
        return code
    if no_save:
        return code
    return _rescue(session, recorder, learner)


def _copy_out_of_damaged(recorder: Any) -> None:
    """Saved into a damaged database, a session may not read back: a rescue file beside
    it surely does (the import of a repaired or restored database takes it)."""
    from negtrainer.store import StoreError

    try:
        path = recorder.write_rescue()
    except StoreError as e:
        print(f"negtrainer: nor could a copy be written to a file: {e}", file=sys.stderr)
        return
    print(
        "negtrainer: the database is damaged, so the session may not read back from it; "
        f"a copy is in {path.resolve()}. After restoring a backup, import it with: "
        f"negtrainer sessions import {path.resolve()}",
        file=sys.stderr,
    )


def _rescue(session: Any, recorder: Any, learner: str | None) -> int:
    """Write a session the database could not take to a file; say where. Exit code 1."""
    import uuid

    from negtrainer.store import StoreError, rescue

    if recorder is not None and recorder.error is not None:
        print(f"negtrainer: {recorder.error}", file=sys.stderr)
    try:
        if recorder is not None:
            path = recorder.write_rescue()
        else:
            from negtrainer.store.rows import now

            path = rescue.write(session, str(uuid.uuid4()), learner, now())
    except StoreError as e:
        print(
            f"negtrainer: the session could not be saved, nor written to a file: {e}",
            file=sys.stderr,
        )
        return EXIT_FAIL
    print(
        f"negtrainer: the session was NOT saved in the database. It is in {path.resolve()}; "
        f"import it later with: negtrainer sessions import {path.resolve()}",
        file=sys.stderr,
    )
    return EXIT_FAIL


def _check_paths(
    names: list[str],
) -> tuple[list[Path], dict[Path, str], dict[Path, str], list[str]]:
    """The files `check` reads; with no names, the library as `list` shows it (the built-in
    folder, then the user's). Also: the heading said before each folder's first file, each
    file's library ("built-in" or "yours"), and the headings of folders with none."""
    from negtrainer.library import scenario_dirs, scenario_files

    paths: list[Path] = []
    folders: dict[Path, str] = {}
    library: dict[Path, str] = {}
    empty: list[str] = []
    for name in names:
        p = Path(name)
        paths.extend(scenario_files(p) if p.is_dir() else [p])
    for folder, builtin in [] if names else scenario_dirs():
        found = scenario_files(folder)
        heading = f"{'Built-in scenarios' if builtin else 'Your own scenarios'}: {folder}"
        if not found:
            empty.append(heading + (" (none)" if folder.is_dir() else " (no such folder yet)"))
            continue
        folders[found[0]] = heading
        library.update(dict.fromkeys(found, "built-in" if builtin else "yours"))
        paths.extend(found)
    return paths, folders, library, empty


def cmd_check(args: argparse.Namespace) -> int:
    from negtrainer.engine import analysis
    from negtrainer.report import check_text

    paths, folders, library, empty = _check_paths(args.paths)
    reports = []
    errors = warnings = 0
    seeds = analysis.SEEDS if args.seeds is None else args.seeds
    if not 1 <= seeds <= MAX_CHECK_SEEDS:
        print(
            f"negtrainer check: --seeds must be 1 to {MAX_CHECK_SEEDS} (it was {seeds})",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    if args.jobs is not None and not 1 <= args.jobs <= MAX_CHECK_JOBS:
        print(
            f"negtrainer check: --jobs must be 1 to {MAX_CHECK_JOBS} (it was {args.jobs})",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    jobs = args.jobs or max(1, min(os.cpu_count() or 1, len(paths)))
    ids = _IdsInUse()
    for path, (diags, result) in zip(paths, analysis.analyse_files(paths, seeds, jobs)):
        if path in folders and not args.json:
            print(folders[path])
        if result is not None:
            clash = ids.clash(path, result["id"])
            if clash is not None:
                diags = [*diags, clash]
        report: dict[str, Any] = {"file": str(path), "diagnostics": [d.to_json() for d in diags]}
        if path in library:
            report["library"] = library[path]
        for d in diags:
            errors += d.severity == "error"
            warnings += d.severity == "warning"
            if not args.json:
                print(d.format())
        if result is not None:
            for d in result.pop("_findings"):
                if d.code in ERROR_FINDINGS:  # a learner stuck with nothing to say
                    d = dataclasses.replace(d, severity="error")
                    report["diagnostics"].append(d.to_json())
                errors += d.severity == "error"
                warnings += d.severity == "warning"
                if not args.json:
                    print(d.format())
            report.update(result)
            if not args.json:
                print(check_text(result))
        reports.append(report)
    if not args.json:
        print(*empty, sep="\n", end="\n" if empty else "")
    if args.json:
        print(
            json.dumps(
                {"scenarios": reports, "errors": errors, "warnings": warnings},
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        print(f"{len(paths)} scenario file(s): {errors} error(s), {warnings} warning(s)")
    if errors or (args.strict and warnings):
        return EXIT_BAD_INPUT
    return EXIT_OK


MAX_CHECK_SEEDS = 200  # seeds per player and variant: 200 takes minutes already
MAX_CHECK_JOBS = 64


class _IdsInUse:
    """Scenario ids that the library would refuse (NT219, a warning here: the file itself
    is fine, and plays by its path): an id used by another file checked, or a checked
    file of one's own that takes a built-in scenario's id."""

    def __init__(self) -> None:
        from negtrainer.paths import builtin_scenarios_dir

        self.builtin_dir = builtin_scenarios_dir().resolve()
        self.builtins: dict[str, Path] | None = None  # read only if a file of one's own is checked
        self.seen: dict[str, Path] = {}

    def clash(self, path: Path, sid: str) -> Any:
        from negtrainer.engine.diagnostics import diag

        where = path.resolve()
        other = self.seen.get(sid)
        if other is None and where.parent != self.builtin_dir:
            other = self._builtin_ids().get(sid)
        if other is None or other == where:
            self.seen.setdefault(sid, where)
            return None
        return diag(
            "NT219",
            f"another file already uses the id {sid!r} ({other}): in the library only the "
            "first is shown (playing this file by its path still works); rename one",
            str(path),
            1,
            "warning",
        )

    def _builtin_ids(self) -> dict[str, Path]:
        if self.builtins is None:
            from negtrainer.library import discover

            self.builtins = {
                e.scenario.id: e.path.resolve()
                for e in discover(include_user=False)
                if e.scenario is not None
            }
        return self.builtins


def cmd_list(args: argparse.Namespace) -> int:
    from negtrainer.library import discover, user_scenarios_dir
    from negtrainer.paths import builtin_scenarios_dir

    print(f"Built-in scenarios: {builtin_scenarios_dir()}")
    print(f"Your own scenarios: {user_scenarios_dir()}")
    for e in discover():
        if e.scenario is None:
            first = e.diagnostics[0].format().splitlines()[0] if e.diagnostics else "error"
            print(f"  !  {e.path.name}: cannot load ({first})")
            continue
        s = e.scenario.spec
        where = "" if e.builtin else "  (yours)"
        print(
            f"  {s.id:<24} {s.title:<36} {s.difficulty:<13} {s.minutes:>3} min  "
            f"{', '.join(s.skills)}{where}"
        )
    return EXIT_OK


def cmd_upgrade(args: argparse.Namespace) -> int:
    from negtrainer.engine.loader import read_text
    from negtrainer.engine.upgrade import upgrade_text

    src = Path(args.file)
    text, problems = read_text(src)  # as check reads it: no device, pipe or giant file
    if text is None:
        for d in problems:
            print(d.format(), file=sys.stderr)
        return EXIT_BAD_INPUT
    new, notes = upgrade_text(text, str(src))
    if new is None:
        for n in notes:
            print(n, file=sys.stderr)
        return EXIT_BAD_INPUT
    dest = Path(args.output) if args.output else src.with_suffix(".v2.yaml")
    if dest.resolve() == src.resolve():
        print(
            "negtrainer upgrade: choose another output file; the original is kept", file=sys.stderr
        )
        return EXIT_BAD_INPUT
    try:
        dest.write_text(new, encoding="utf-8")
    except OSError as e:
        print(f"negtrainer upgrade: cannot write {dest}: {e}", file=sys.stderr)
        return EXIT_FAIL
    for n in notes:
        print(n)
    print(f"written: {dest}")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from negtrainer.engine.model import json_schema
    from negtrainer.paths import builtin_scenarios_dir

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.check:
        out = builtin_scenarios_dir() / "schema.json"
        current = out.read_text(encoding="utf-8") if out.exists() else ""
        if current != text:
            print(
                f"{out} is out of date: run negtrainer schema -o scenarios/schema.json",
                file=sys.stderr,
            )
            return EXIT_FAIL
        print(f"{out} is current")
        return EXIT_OK
    if not args.output:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        Path(args.output).write_text(text, encoding="utf-8")
    except OSError as e:
        print(f"negtrainer schema: cannot write {args.output}: {e.strerror or e}", file=sys.stderr)
        return EXIT_FAIL
    print(f"wrote {args.output}")
    return EXIT_OK


def cmd_sessions(args: argparse.Namespace) -> int:
    from negtrainer.store import commands as sc

    if args.action == "restore":
        from negtrainer.store import default_db_path

        return sc.cmd_sessions_restore(args.db or default_db_path(), args.backup, sys.stdout)
    store = _open_store(
        args, readonly_ok=args.action in ("list", "show", "export"), listing=args.action == "list"
    )
    if store is None:
        return EXIT_FAIL
    if args.action == "list":
        return sc.cmd_sessions_list(store, args.learner, args.scenario, args.json, sys.stdout)
    if args.action == "show":
        return sc.cmd_sessions_show(store, args.id, args.json, sys.stdout)
    if args.action == "export":
        return sc.cmd_sessions_export(store, args.ids, args.output, sys.stdout, args.force)
    if args.action == "import":
        return sc.cmd_sessions_import(store, args.files, sys.stdout)
    if args.action == "delete":
        return sc.cmd_sessions_delete(store, args.id, args.yes, input, sys.stdout)
    if args.action == "backup":
        return sc.cmd_sessions_backup(store, sys.stdout)
    return EXIT_BAD_INPUT


def cmd_learners(args: argparse.Namespace) -> int:
    from negtrainer.store import commands as sc

    store = _open_store(
        args, readonly_ok=args.action in (None, "list"), listing=args.action in (None, "list")
    )
    if store is None:
        return EXIT_FAIL
    with store:
        return sc.cmd_learners(
            store, args.action, args.learner, args.new_name, args.yes, input, sys.stdout
        )


def cmd_voices(args: argparse.Namespace) -> int:
    from negtrainer.voice.commands import cmd_voices as run

    return run(json_out=args.json, out=sys.stdout)


def cmd_say(args: argparse.Namespace) -> int:
    from negtrainer.voice.commands import cmd_say as run

    scenario = _load(args.scenario)
    if scenario is None:
        return EXIT_BAD_INPUT
    text = scenario.lines.get(args.line_id)
    if text is None:
        close = [i for i in scenario.lines if args.line_id in i][:5]
        print(
            f"negtrainer say: no line {args.line_id!r} in {scenario.id}"
            + (f" (did you mean {', '.join(close)}?)" if close else ""),
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    from negtrainer.spoken import spoken

    cp = scenario.spec.counterpart
    # As the trainer says it: without the stage directions in brackets.
    return run(
        spoken(text),
        cp.voice.model_dump(exclude_none=True),
        cp.name,
        rate=args.rate,
        out=sys.stdout,
    )


def cmd_understand(args: argparse.Namespace) -> int:
    import io
    import json

    from negtrainer.understand import Option, understand

    options: list[Option] = []
    topics: list[str] = []
    if args.node and not args.scenario:
        print("negtrainer: --node needs --scenario", file=sys.stderr)
        return EXIT_FAIL
    if args.scenario:
        scenario = _load(args.scenario)
        if scenario is None:
            return EXIT_FAIL
        spec = scenario.spec
        node = args.node or spec.start
        if node not in spec.nodes:
            print(
                f"negtrainer: {spec.id} has no node {node!r}; it has: {', '.join(spec.nodes)}",
                file=sys.stderr,
            )
            return EXIT_FAIL
        options = [
            Option(cid, ch.text, ch.move, tuple(ch.topics))
            for cid, ch in zip(scenario.choice_ids[node], spec.nodes[node].choices)
        ]
        topics = [t for i in spec.interests.values() for t in i.topics]
    lines = sys.stdin
    if hasattr(sys.stdin, "buffer"):  # bytes that are not UTF-8 must not end in a traceback
        lines = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    for raw in lines:
        if not raw.strip():
            continue
        u = understand(raw, options, topics=topics)
        out = {
            "text": u.text,
            "move": u.move,
            "confidence": u.move_confidence,
            "verdict": u.verdict,
        }
        if args.scenario:
            out.update(
                choice=u.choice,
                choice_confidence=u.confidence,
                candidates=[c.id for c in u.candidates],
            )
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return EXIT_OK


def cmd_workshop(args: argparse.Namespace) -> int:
    from negtrainer.workshop import commands as wc

    # What only reads the database works on one that cannot be written, as sessions do.
    store = _open_store(
        args,
        readonly_ok=args.action in ("list", "show", "export", "results", "xapi", "report"),
        listing=args.action == "list",
    )
    if store is None:
        return EXIT_FAIL
    a, out = args.action, sys.stdout
    if a in WRITES and not _may_write(args.output, args.force, WRITES[a], store.path):
        return EXIT_FAIL
    if a == "new":
        return wc.new(store, args.name, args.participant, out=out)
    if a == "add-participant":
        return wc.add_participant(store, args.workshop, args.names, args.team, out=out)
    if a == "remove-participant":
        return wc.remove_participant(store, args.workshop, args.name, out=out)
    if a == "rename":
        return wc.rename(store, args.workshop, args.new_name, out=out)
    if a == "delete":
        return wc.delete(
            store, args.workshop, args.yes, out=out, ask=_ask_yes if sys.stdin.isatty() else None
        )
    if a == "add-exercise":
        return wc.add_exercise(
            store, args.workshop, args.scenario, args.variant, args.minutes, args.question, out=out
        )
    if a == "list":
        return wc.listing(store, out=out)
    if a == "show":
        return wc.show(store, args.workshop, args.anonymous, out=out)
    if a == "export":
        return wc.export(store, args.workshop, args.output, args.anonymous, out=out)
    if a == "join":
        return wc.join(store, args.file, out=out)
    if a == "results":
        return wc.results(store, args.workshop, args.output, args.anonymous, out=out)
    if a == "collect":
        return wc.collect(store, args.workshop, args.files, out=out)
    if a == "xapi":
        return wc.xapi(store, args.workshop, args.output, args.anonymous, out=out)
    if a == "play":
        return _workshop_play(store, args)
    if a == "report":
        return _printable(
            lambda p: p.workshop_report(
                store,
                wc.find(store, args.workshop),
                Path(args.output),
                args.anonymous,
                handouts=args.handouts,
            ),
            args.output,
        )
    return EXIT_BAD_INPUT


def _ask_yes(question: str) -> bool:
    try:
        return input(question).strip().casefold() in ("y", "yes")
    except EOFError:
        return False


def _workshop_play(store: Any, args: argparse.Namespace) -> int:
    from negtrainer.store import StoreError
    from negtrainer.terminal import TerminalPlayer
    from negtrainer.workshop import commands as wc
    from negtrainer.workshop.model import WorkshopError

    try:
        started = wc.start_play(store, args.workshop, args.exercise, args.participant)
    except (WorkshopError, StoreError, ValueError) as e:
        print(f"negtrainer workshop: {e}", file=sys.stderr)
        return EXIT_FAIL
    player = TerminalPlayer(started.session, driver=started.recorder)
    return _drive(player, args.script, started.recorder)


def _printable(write: Any, output: str) -> int:
    """Printables are drawn by Qt: offscreen when there is no screen."""
    from negtrainer.store import StoreError
    from negtrainer.workshop.model import WorkshopError

    if Path(output).suffix.lower() != ".pdf":
        # A PDF in a file called report.html opens as garbage in a browser.
        print(
            f"negtrainer: this writes a PDF; give a file name ending in .pdf (not {output})",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    if _no_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    try:
        from negtrainer.gui import printables
    except ImportError as e:
        print(
            f"negtrainer: printing needs the Qt libraries ({e}). Install PySide6-Essentials.",
            file=sys.stderr,
        )
        return EXIT_FAIL
    try:
        pages = write(printables)
    except (WorkshopError, StoreError, OSError) as e:
        print(f"negtrainer: {e}", file=sys.stderr)
        return EXIT_FAIL
    print(f"wrote {output} ({pages} page(s))")
    return EXIT_OK


def _may_write(output: str, force: bool, kind: str, db: Path | None) -> bool:
    """Whether a command may write ``output``: never the session database or a backup,
    and a file of another kind only with --force; says why not."""
    from negtrainer.store import StoreError, exchange

    try:
        exchange.check_target(db, Path(output), force, kind)
    except StoreError as e:
        print(f"negtrainer: {e}", file=sys.stderr)
        return False
    return True


def cmd_rolesheets(args: argparse.Namespace) -> int:
    from negtrainer.store import default_db_path

    db = Path(getattr(args, "db", None) or default_db_path()).expanduser()
    if not _may_write(args.output, args.force, "pdf", db):
        return EXIT_FAIL
    scenario = _load(args.scenario)
    if scenario is None:
        return EXIT_BAD_INPUT
    if args.teaching_note:
        return _printable(lambda p: p.teaching_note(scenario, Path(args.output)), args.output)
    return _printable(lambda p: p.role_sheets(scenario, Path(args.output)), args.output)


COMMANDS = {
    "gui": cmd_gui,
    "play": cmd_play,
    "check": cmd_check,
    "list": cmd_list,
    "schema": cmd_schema,
    "upgrade": cmd_upgrade,
    "sessions": cmd_sessions,
    "voices": cmd_voices,
    "say": cmd_say,
    "learners": cmd_learners,
    "understand": cmd_understand,
    "workshop": cmd_workshop,
    "rolesheets": cmd_rolesheets,
}
