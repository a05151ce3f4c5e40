from pathlib import Path

from negtrainer.engine import analysis
from negtrainer.engine.loader import load_text

TEXT = (Path(__file__).resolve().parents[1] / "fixtures" / "v1" / "packaging-renewal.yaml").read_text()


def test_the_sample_has_no_findings_and_an_expert_path(sample):
    r = analysis.analyse(sample, seeds=4)
    # A format 1 file gets one note: what format 2 would add.
    assert [f["code"] for f in r["findings"]] == ["NT309"]
    assert set(r["endings_reachable"]) == set(sample.spec.endings)
    exp = r["expert_path"]
    assert exp["ending"] == "deal" and exp["joint"] == r["best_joint_possible"]
    assert len(exp["interests"]) == 3


def test_listening_beats_hard_bargaining_and_random_play(sample):
    r = analysis.analyse(sample, seeds=6)["strategies"]
    for key in ("mean_interests", "mean_end_trust", "mean_joint"):
        assert r["listening"][key] > r["hard"][key]
        assert r["listening"][key] > r["random"][key]
    assert r["hard"]["share_trust_falling_under_pressure"] >= 0.8


def test_an_orphan_node_and_an_unreachable_ending_are_found():
    text = TEXT.replace("  handshake:\n", "  orphan:\n    say:\n      - {id: orphan.1, text: Hi}\n"
                        "    end: never\n  handshake:\n")
    text = text.replace("endings:\n", "endings:\n  never:\n    kind: impasse\n    title: Never\n"
                        "    text: Cannot happen.\n", 1)
    sc, diags = load_text(text, "x.yaml")
    assert sc is not None, diags
    r = analysis.analyse(sc, seeds=2)
    codes = {(f["code"], f["message"].split("'")[1]) for f in r["findings"]}
    assert ("NT301", "orphan") in codes and ("NT303", "never") in codes


def test_a_dead_end_is_found():
    text = TEXT.replace("      - id: walk_away\n", "      - id: walk_away\n        when: trust > 200\n")
    text = text.replace("      - id: close_now\n", "      - id: close_now\n        once: true\n")
    sc, diags = load_text(text, "x.yaml")
    assert sc is not None, diags
    # Every other choice at the table is once-only: after them, nothing is left
    # but offers, so the table is not a dead end while offers are allowed.
    r = analysis.analyse(sc, seeds=2)
    assert not any(f["code"] == "NT302" for f in r["findings"])
    text2 = text.replace("    offers: true\n", "")
    sc2, _diags = load_text(text2, "y.yaml")
    r2 = analysis.analyse(sc2, seeds=2)
    assert any(f["code"] == "NT302" for f in r2["findings"])
