"""Build the desktop bundle for this platform: one command, from a clean checkout.

    python3 -m pip install ".[bundle]"      # PyInstaller, once
    python3 packaging/build.py              # -> dist/negtrainer/ and, on Linux,
                                            #    dist/negtrainer-VERSION-linux-ARCH.tar.gz

The bundle is a PyInstaller one-folder program: the trainer, its Python, Qt and the
built-in scenarios and assets in one folder that runs where it is unpacked (no
Python, no network, no root). One folder rather than one file: a one-file program
unpacks ~200 MB to a temporary folder at every start, which costs seconds on a
laptop; and Qt's LGPL wants its libraries replaceable, which a folder allows.

It prints the build time, the size and what dominates it.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "pyinstaller" / "negtrainer.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
BUNDLE = DIST / "negtrainer"
LINUX_EXTRAS = [
    (ROOT / "packaging" / "linux" / "negtrainer.desktop", "negtrainer.desktop"),
    (ROOT / "assets" / "icons" / "app.svg", "negtrainer.svg"),
    (ROOT / "packaging" / "linux" / "install.sh", "install.sh"),
    (ROOT / "packaging" / "linux" / "README.txt", "README.txt"),
]


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from negtrainer import __version__

    return __version__


def executable(bundle: Path = BUNDLE) -> Path:
    return bundle / ("negtrainer.exe" if sys.platform == "win32" else "negtrainer")


def archive_name() -> str:
    machine = platform.machine().lower() or "unknown"
    return f"negtrainer-{version()}-linux-{machine}"


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def size_report(folder: Path, top: int = 10) -> list[str]:
    """The bundle's size by part and its largest files, as lines to print."""
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    total = sum(p.stat().st_size for p in files)
    parts: dict[str, int] = {}
    for p in files:
        rel = p.relative_to(folder).as_posix()
        if "/Qt/lib/libicu" in rel:
            part = "ICU (Unicode data Qt links to)"
        elif "/Qt/lib/" in rel:
            part = "Qt libraries"
        elif "/Qt/plugins/" in rel:
            part = "Qt plugins"
        elif rel.startswith(("_internal/PySide6/", "_internal/shiboken6/")):
            part = "PySide6 bindings"
        elif "libpython" in rel or "/python3." in rel or "base_library" in rel:
            part = "Python runtime"
        elif rel.startswith("_internal/negtrainer/"):
            part = "negtrainer scenarios and assets"
        elif rel.startswith("_internal/lib") and ".so" in rel:
            part = "system libraries (X11, fonts, glib...)"
        else:
            part = "other Python packages and the program"
        parts[part] = parts.get(part, 0) + p.stat().st_size
    lines = [f"bundle: {total / 1e6:.1f} MB in {len(files)} files ({folder})"]
    for part, size in sorted(parts.items(), key=lambda kv: -kv[1]):
        lines.append(f"  {size / 1e6:7.1f} MB  {100 * size / total:4.1f} %  {part}")
    lines.append("largest files:")
    for p in sorted(files, key=lambda p: -p.stat().st_size)[:top]:
        lines.append(f"  {p.stat().st_size / 1e6:7.1f} MB  {p.relative_to(folder).as_posix()}")
    return lines


def run_pyinstaller(clean: bool) -> None:
    cmd = [
        sys.executable,
        "-m",
        "PyInstaller",
        str(SPEC),
        "--noconfirm",
        "--distpath",
        str(DIST),
        "--workpath",
        str(WORK),
        "--log-level",
        "WARN",
    ]
    if clean:
        cmd.append("--clean")
    subprocess.run(cmd, cwd=ROOT, check=True)


def add_linux_extras(bundle: Path) -> None:
    for src, name in LINUX_EXTRAS:
        shutil.copy2(src, bundle / name)
    (bundle / "install.sh").chmod(0o755)


def make_archive(bundle: Path) -> Path:
    name = archive_name()
    out = DIST / f"{name}.tar.gz"
    with tarfile.open(out, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=name)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--no-archive", action="store_true", help="skip the .tar.gz (Linux)")
    ap.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    args = ap.parse_args(argv)
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        print(
            'build.py: PyInstaller is not installed. Run: python3 -m pip install ".[bundle]"',
            file=sys.stderr,
        )
        return 2
    start = time.perf_counter()
    run_pyinstaller(args.clean)
    built = time.perf_counter() - start
    linux = sys.platform.startswith("linux")
    if linux:
        add_linux_extras(BUNDLE)
    for line in size_report(BUNDLE):
        print(line)
    print(f"PyInstaller build: {built:.0f} s")
    if linux and not args.no_archive:
        t = time.perf_counter()
        out = make_archive(BUNDLE)
        print(
            f"archive: {out} ({out.stat().st_size / 1e6:.1f} MB, "
            f"{time.perf_counter() - t:.0f} s to compress)"
        )
    print(f"run it: {executable()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
