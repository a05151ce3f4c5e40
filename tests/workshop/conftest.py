import sys
from pathlib import Path

# Shared helpers for the workshop tests (the suite runs with --import-mode=importlib).
sys.path.insert(0, str(Path(__file__).parent))
