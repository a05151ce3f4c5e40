import gc
from pathlib import Path

from negtrainer.engine import analysis
from negtrainer.engine.loader import load_text

TEXT = (
    Path(__file__).resolve().parents[1] / "fixtures" / "v1" / "packaging-renewal.yaml"
).read_text()


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
    text = TEXT.replace(
        "  handshake:\n",
        "  orphan:\n    say:\n      - {id: orphan.1, text: Hi}\n    end: never\n  handshake:\n",
    )
    text = text.replace(
        "endings:\n",
        "endings:\n  never:\n    kind: impasse\n    title: Never\n    text: Cannot happen.\n",
        1,
    )
    sc, diags = load_text(text, "x.yaml")
    assert sc is not None, diags
    r = analysis.analyse(sc, seeds=2)
    codes = {(f["code"], f["message"].split("'")[1]) for f in r["findings"]}
    assert ("NT301", "orphan") in codes and ("NT303", "never") in codes


def test_a_dead_end_is_found():
    text = TEXT.replace(
        "      - id: walk_away\n", "      - id: walk_away\n        when: trust > 200\n"
    )
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


def _without_objects(report):
    return {k: v for k, v in report.items() if k != "_findings"}


def test_files_analysed_over_two_processes_give_the_same_reports_as_in_one(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(TEXT.replace("minutes: 12", "minutes: twelve"))
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    paths = [fixtures / "v1" / "packaging-renewal.yaml", broken, fixtures / "v2" / "mini.yaml"]
    serial = list(analysis.analyse_files(paths, seeds=1, workers=1))
    parallel = list(analysis.analyse_files(paths, seeds=1, workers=2))
    assert [d for d, _r in serial] == [d for d, _r in parallel]
    assert serial[1][1] is None and any(d.code == "NT102" for d in serial[1][0])
    assert [r and _without_objects(r) for _d, r in serial] == [
        r and _without_objects(r) for _d, r in parallel
    ]
    assert [r and r["_findings"] for _d, r in serial] == [
        r and r["_findings"] for _d, r in parallel
    ]


def _seen(reach: analysis.Reach) -> tuple:
    return reach.nodes, reach.endings, reach.interests, reach.dead_ends


def test_the_expert_path_is_searched_once_and_a_repeat_reports_the_same_reach():
    sc, _diags = load_text(TEXT, "x.yaml")
    first, second = analysis.Reach(), analysis.Reach()
    found = analysis.best_path(sc, "warm", first)
    again = analysis.best_path(sc, "warm", second)
    assert found == again and found is not None
    assert _seen(first) == _seen(second)
    again[1].append({"choice": "nonsense"})  # a caller's copy: the kept path is untouched
    assert analysis.best_path(sc, "warm", analysis.Reach()) == found
    fresh, _ = load_text(TEXT, "x.yaml")
    assert analysis.best_path(fresh, "warm", analysis.Reach()) == found


def test_the_expert_path_read_from_the_exploration_is_the_one_played_afresh():
    """The beam reads what the exploration already played from the same start; it finds
    the same path and sees the same states as a beam that plays everything itself."""
    from negtrainer.paths import builtin_scenarios_dir

    text = (builtin_scenarios_dir() / "fixed-pie.yaml").read_text()
    for variant in ("keen", "guarded"):
        sc, _diags = load_text(text, "f.yaml")
        explored = analysis.explore(sc, variant, analysis.Reach(), cap=500)
        assert len(explored.after) > 10  # states it expanded whole, for the beam to read
        read, afresh = analysis.Reach(), analysis.Reach()
        found = analysis._beam(sc, variant, read, analysis.BEAM_WIDTH, 0, explored)
        again = analysis._beam(sc, variant, afresh, analysis.BEAM_WIDTH, 0)
        assert found == again and found is not None
        assert _seen(read) == _seen(afresh)


def _beam_comparing_every_state(sc, variant, reach, width):
    """The beam as first written: every state's key made and compared as it is played."""
    from negtrainer.engine.session import Session

    beam = [(Session.start(sc, seed=0, variant=variant).quiet(), None, None, 0)]
    best = None
    for depth in range(sc.spec.max_turns + 1):
        candidates, seen = [], set()
        for path in beam:
            for act, nxt, said, flagged in analysis._expand(path[0], seen, reach, all_pareto=False):
                child = (nxt, (act, said), path, path[3] + flagged)
                if nxt.ended:
                    score = (*analysis._outcome(nxt), -child[3])
                    if best is None or score > best[0]:
                        best = (score, child)
                else:
                    candidates.append(child)
        if not candidates:
            break

        # An open state's rank is its outcome's middle term, less what its flagged moves cost.
        def rank(p):
            a, b, c = analysis._outcome(p[0])
            return (a, b - analysis.FLAGGED * p[3], c), -p[3]

        candidates.sort(key=rank, reverse=True)
        beam = candidates[: analysis._funnel(width, depth, sc.spec.max_turns)]
    inputs, said, link = [], [], best[1]
    while link[1] is not None:
        inputs.append(link[1][0])
        said.append(link[1][1])
        link = link[2]
    return best[0], inputs[::-1], said[::-1]


def test_the_beam_keeps_and_sees_what_comparing_every_state_as_it_is_played_would():
    """The beam makes a state's key only when its place depends on it; it finds the same
    path and sees the same states as a beam that compares every state as it comes."""
    from negtrainer.paths import builtin_scenarios_dir

    for name, width in (("saying-no", 12), ("rebuilding-trust", 12), ("guanxi", 5)):
        sc, _diags = load_text((builtin_scenarios_dir() / f"{name}.yaml").read_text(), "s.yaml")
        variant = list(sc.spec.counterpart.variants)[-1]
        lazy, every = analysis.Reach(), analysis.Reach()
        found = analysis._beam(sc, variant, lazy, width, 0)
        assert found == _beam_comparing_every_state(sc, variant, every, width)
        assert _seen(lazy) == _seen(every)


def test_a_search_puts_the_cycle_collector_back_as_it_found_it_even_when_it_fails():
    """Searches run Python's cycle collector less often, and only while one runs: the
    threshold comes back after nested searches and after a search that raised."""
    before = gc.get_threshold()
    with analysis._searching():
        assert gc.get_threshold()[0] >= analysis.SEARCH_GC_THRESHOLD
        with analysis._searching():
            pass
        assert gc.get_threshold()[0] >= analysis.SEARCH_GC_THRESHOLD  # still searching
    assert gc.get_threshold() == before
    try:
        with analysis._searching():
            raise RuntimeError("a search that fails")
    except RuntimeError:
        pass
    assert gc.get_threshold() == before


def test_the_beam_narrows_after_a_third_of_the_turns_and_finds_what_the_full_width_finds(
    monkeypatch,
):
    from negtrainer.paths import builtin_scenarios_dir

    assert [analysis._funnel(12, d, 30) for d in (0, 9, 10, 14, 15, 29)] == [12, 12, 8, 8, 6, 6]
    sc, _diags = load_text(
        (builtin_scenarios_dir() / "robust-disagreement.yaml").read_text(), "r.yaml"
    )
    variant = next(iter(sc.spec.counterpart.variants))
    narrowing = analysis._beam(sc, variant, analysis.Reach(), analysis.BEAM_WIDTH, 0)
    monkeypatch.setattr(analysis, "_funnel", lambda width, _depth, _turns: width)
    full = analysis._beam(sc, variant, analysis.Reach(), analysis.BEAM_WIDTH, 0)
    assert narrowing is not None and full is not None
    assert narrowing[0] == full[0]  # the same outcome: ending, joint value, trust, pressure


def test_exploring_with_three_offers_a_state_reaches_what_every_pareto_offer_reaches(
    monkeypatch,
):
    from negtrainer.paths import builtin_scenarios_dir

    sc, _diags = load_text(
        (builtin_scenarios_dir() / "five-minute-call.yaml").read_text(), "f.yaml"
    )
    variant = next(iter(sc.spec.counterpart.variants))
    three = analysis.Reach()
    analysis.explore(sc, variant, three, cap=600)
    expand = analysis._expand
    monkeypatch.setattr(
        analysis,
        "_expand",
        lambda s, seen, reach, all_pareto=True, **kept: expand(s, seen, reach, **kept),
    )
    every = analysis.Reach()
    analysis.explore(sc, variant, every, cap=600)
    assert (three.nodes, three.endings, three.interests) == (
        every.nodes,
        every.endings,
        every.interests,
    )


def test_check_notes_when_a_player_without_the_skill_wins_and_not_when_none_does():
    import re

    from negtrainer.paths import builtin_scenarios_dir

    guide = (Path(__file__).resolve().parents[2] / "docs" / "authoring.md").read_text()
    first_step = re.search(r"```yaml\n(.*?)```", guide[guide.index("### Step 1") :], re.DOTALL)
    sc, _diags = load_text(first_step.group(1), "step1.yaml")
    notes = [f for f in analysis.analyse(sc, seeds=3)["_findings"] if f.code == "NT310"]
    # The guide's first step is not a teaching scenario yet: shortcuts win it.
    assert notes and all(f.severity == "info" for f in notes)
    assert any("'caver' player" in f.message for f in notes)
    good, _ = load_text((builtin_scenarios_dir() / "saying-no.yaml").read_text(), "s.yaml")
    codes = {f.code for f in analysis.analyse(good, seeds=3)["_findings"]}
    assert not codes & {"NT310", "NT311"}


def test_a_rarely_taken_ending_is_not_reported_unreachable_for_want_of_seeds():
    from negtrainer.paths import builtin_scenarios_dir

    # five-minute-call's "signed" (a good deal without the in-person sign-off) is first
    # reached by the listening player on seed 7: five seeds alone missed it.
    sc, _diags = load_text(
        (builtin_scenarios_dir() / "five-minute-call.yaml").read_text(), "f.yaml"
    )
    r = analysis.analyse(sc, seeds=5)
    assert "signed" in r["endings_reachable"]
    assert not [f for f in r["_findings"] if f.code == "NT303"]
