"""An installed (non-editable) wheel must carry the built-in scenarios and assets."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_carries_scenarios_schema_and_assets(tmp_path):
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps",
                        "-q", "-w", str(tmp_path)],
                       capture_output=True, text=True, check=False, timeout=300)
    assert r.returncode == 0, r.stderr
    (wheel,) = tmp_path.glob("negtrainer-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for scenario in (ROOT / "scenarios").glob("*.yaml"):
        assert f"negtrainer/builtin_scenarios/{scenario.name}" in names
    assert "negtrainer/builtin_scenarios/schema.json" in names
    assert any(n.startswith("negtrainer/assets/") for n in names)
