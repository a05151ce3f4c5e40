from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEST_COMMAND = 'python3 -m pip install ".[test]" && python3 -m pytest'
RUN_COMMAND = "python3 -m pip install . && python3 -m negtrainer"


def test_the_readme_quick_start_and_ci_run_the_same_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert TEST_COMMAND in readme and RUN_COMMAND in readme
    assert ci.rstrip().splitlines()[-1] == TEST_COMMAND
