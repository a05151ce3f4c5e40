"""The engine: scenario model, loader, counterpart, session runner, scoring, analysis."""

# Bumped whenever the same inputs can give a different session; the store keeps it
# with each session so a replay can tell "engine changed" from "tampered".
ENGINE_VERSION = 3  # 3: questions satiate in a row, held counters, replies after a confession
