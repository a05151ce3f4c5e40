"""Understanding typed lines (issue 16). Prints figures with same-run baselines; asserts nothing.

    python bench/bench_understand.py [--split test|train|all] [--alt DIR]

1. Accuracy on the labelled corpus (tests/data/understand/): move type
   (accuracy, macro-F1, confusion matrix), choice matching top-1/top-3,
   confident matches right/wrong, and lines meant for no choice kept apart.
   The test split is held back: nothing was tuned on it.
2. The alternatives compared (when installed, e.g. `pip install --target DIR
   rapidfuzz scikit-learn` and `--alt DIR`): rapidfuzz's token-set ratio for
   matching, scikit-learn TF-IDF + logistic regression for the move type.
3. Latency per typed line (median), against the same run's baseline: the
   engine playing one choice (what a click costs).
4. Import time and memory added.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATA = ROOT / "tests" / "data" / "understand"


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}% ({a}/{b})" if b else "n/a"


def confusion_table(conf: dict[tuple[str, str], int]) -> str:
    labels = sorted({a for a, _ in conf} | {b for _, b in conf})
    short = {m: m[:6] for m in labels}
    head = "true \\ read as".ljust(22) + " ".join(short[m].rjust(6) for m in labels)
    rows = [head]
    for a in labels:
        cells = " ".join((str(conf.get((a, b), "")) or ".").rjust(6) for b in labels)
        rows.append(a.ljust(22) + cells)
    return "\n".join(rows)


def alternatives(train: list, test: list, nodes: dict) -> None:
    from negtrainer.understand.classify import classify

    try:
        from rapidfuzz import fuzz
    except ImportError:
        print("  rapidfuzz: not installed (skipped)")
    else:
        top1 = top3 = n = 0
        for x in test:
            if x.choice == "none":
                continue
            ranked = sorted(
                nodes[x.block], key=lambda o: -fuzz.token_set_ratio(x.text.lower(), o.text.lower())
            )
            ids = [o.id for o in ranked]
            n += 1
            top1 += ids[0] == x.choice
            top3 += x.choice in ids[:3]
        print(f"  rapidfuzz token_set_ratio matching: top-1 {pct(top1, n)}, top-3 {pct(top3, n)}")
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
    except ImportError:
        print("  scikit-learn: not installed (skipped)")
    else:
        model = make_pipeline(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
            LogisticRegression(max_iter=2000, C=10),
        )
        model.fit([x.text for x in train], [x.move for x in train])
        got = model.predict([x.text for x in test])
        right = sum(g == x.move for g, x in zip(got, test))
        print(
            f"  scikit-learn TF-IDF char 2-5 + logistic regression, move type: "
            f"{pct(right, len(test))}"
        )
    rules = sum(classify(x.text).move == x.move for x in test)
    print(f"  (same split) rules alone, move type: {pct(rules, len(test))}")


PROBE = """
import resource, sys, time
sys.path.insert(0, {root!r})
r0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
from negtrainer.understand import Option, understand
understand("how do payment terms work for you?", [Option("a", "How are you?", "small_talk")])
t1 = time.perf_counter()
r1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{{(t1 - t0) * 1000:.1f}} ms to import and read the first line, "
      f"{{(r1 - r0) / 1024:.1f}} MB resident memory added")
"""


def cold_import() -> str:
    import subprocess

    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(root=str(ROOT))],
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout.strip() or out.stderr.strip()[-200:]


# Half the built-in scenarios' choices were read while writing rules; the
# other half never were. Only the second half says how the rules carry to
# words and labels by other authors.
SEEN = ("closing-the-deal", "fixed-pie", "packaging-renewal", "saying-no")


def authored_check() -> None:
    """Move types read from the built-in scenarios' own choices (other authors)."""
    from collections import Counter

    from negtrainer.library import discover
    from negtrainer.understand.classify import classify

    tally = {True: [0, 0], False: [0, 0]}
    misses: Counter[tuple[str, str]] = Counter()
    for entry in discover(include_user=False):
        if entry.scenario is None:
            continue
        seen = entry.scenario.id in SEEN
        for node in entry.scenario.spec.nodes.values():
            for ch in node.choices:
                got = classify(ch.text).move
                tally[seen][0] += got == ch.move
                tally[seen][1] += 1
                if got != ch.move and not seen:
                    misses[(ch.move, got)] += 1
    print("  move type of the built-in scenarios' own choices (other authors' words and labels):")
    print(f"    scenarios never looked at while writing rules: {pct(*tally[False])}")
    print(f"    scenarios read while writing rules ({', '.join(SEEN)}): {pct(*tally[True])}")
    print(
        "    most confused in the unseen half (authored -> read as): "
        + ", ".join(f"{a} -> {b} x{n}" for (a, b), n in misses.most_common(6))
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="test", choices=["test", "train", "all"])
    ap.add_argument("--alt", help="a folder with rapidfuzz / scikit-learn installed")
    args = ap.parse_args()

    tracemalloc.start()
    t0 = time.perf_counter()
    from negtrainer.understand import understand
    from negtrainer.understand.corpus import evaluate, read_corpus, read_nodes

    import_ms = (time.perf_counter() - t0) * 1000
    items = read_corpus(DATA / "corpus.txt")
    nodes = read_nodes(DATA / "nodes.json")
    chosen = items if args.split == "all" else [x for x in items if x.split == args.split]
    sc = evaluate(chosen, nodes)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert sc.confusion is not None

    moves = {x.move for x in items}
    print(
        f"corpus: {len(items)} lines, {len(moves)} move types, "
        f"{sum(x.choice == 'none' for x in items)} meant for no choice; "
        f"split '{args.split}': {len(chosen)} lines"
    )
    print("1. accuracy")
    print(
        f"  move type (as played): {pct(sc.move_right, sc.lines)}, "
        f"macro-F1 {sc.macro_f1():.3f}   target >= 85%"
    )
    print(f"  move type (rules alone, before matching): {pct(sc.rule_right, sc.lines)}")
    print(f"  choice ranked first: {pct(sc.top1, sc.with_choice)}   target >= 80%")
    print(f"  choice in the first three: {pct(sc.top3, sc.with_choice)}   target >= 95%")
    print(
        f"  played at once (confident): right {pct(sc.matched_right, sc.with_choice)}, "
        f"wrong {pct(sc.matched_wrong, sc.with_choice)}; the rest offered as 'did you mean'"
    )
    print(
        f"  meant for no choice, played no choice: {pct(sc.none_kept, sc.nones)}; "
        f"of them not even offered a choice: {pct(sc.none_verdict, sc.nones)}"
    )
    print("  confusion matrix (rows: labelled move, columns: move played):")
    print("    " + confusion_table(sc.confusion).replace("\n", "\n    "))

    authored_check()

    print("2. alternatives")
    if args.alt:
        sys.path.insert(0, args.alt)
    train = [x for x in items if x.split == "train"]
    alternatives(train, [x for x in items if x.split == "test"], nodes)

    print("3. latency")
    from negtrainer.engine.loader import load_scenario
    from negtrainer.engine.session import Session

    scenario = load_scenario(ROOT / "scenarios" / "packaging-renewal.yaml")
    lines = [x.text for x in items]
    opts = nodes["packaging-renewal/table"]
    times = []
    for text in lines:
        t = time.perf_counter()
        understand(text, opts)
        times.append(time.perf_counter() - t)
    base = []
    for _ in range(200):
        s = Session.start(scenario, seed=1, variant="warm")
        t = time.perf_counter()
        s.choose("small_talk_drive")
        base.append(time.perf_counter() - t)
    print(
        f"  understand one line against 14 choices: median "
        f"{statistics.median(times) * 1000:.2f} ms, max {max(times) * 1000:.2f} ms "
        f"(target median <= 50 ms)"
    )
    print(
        f"  baseline, the engine playing one choice: median {statistics.median(base) * 1000:.3f} ms"
    )
    print("4. cost")
    print(
        f"  import of negtrainer.understand: {cold_import()} "
        f"(in this run, under tracemalloc: {import_ms:.0f} ms)"
    )
    print(f"  peak Python memory while evaluating: {peak / 1e6:.1f} MB (target added <= 150 MB)")
    print("  extra install: none (pure Python, no new dependency)")


if __name__ == "__main__":
    main()
