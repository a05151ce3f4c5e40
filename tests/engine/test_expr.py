import pytest

from negtrainer.engine import expr


def run(text, **env):
    fn = expr.compile_expr(expr.parse(text), lambda name: lambda st: st[name])
    return fn(env)


def test_comparisons_and_logic_follow_precedence():
    assert run("trust >= 50 and not angry or calm", trust=60, angry=False, calm=False)
    assert not run("trust >= 50 and (angry or calm)", trust=60, angry=False, calm=False)
    assert run("a + 2 > b - 1", a=1, b=3)
    assert run('mood == "warm"', mood="warm")
    assert run("-x < 0", x=2)


def test_names_are_listed_with_their_column():
    assert expr.names(expr.parse("trust > 4 and revealed.idle_line")) == [
        ("revealed.idle_line", 15),
        ("trust", 1),
    ] or sorted(expr.names(expr.parse("trust > 4 and revealed.idle_line"))) == [
        ("revealed.idle_line", 15),
        ("trust", 1),
    ]


@pytest.mark.parametrize("bad", ["trust >=", "(a", "a b", "a $ b", "", "1 + "])
def test_malformed_conditions_raise_a_located_error(bad):
    with pytest.raises(expr.ExprError):
        expr.parse(bad)


def test_nothing_is_ever_evaluated_as_python():
    with pytest.raises(expr.ExprError):
        expr.parse("__import__('os').system('true')")


def test_comparing_text_with_a_number_is_false_not_a_crash():
    assert run("mood > 3", mood="warm") is False


def test_absurdly_long_or_deep_conditions_are_refused():
    with pytest.raises(expr.ExprError):
        expr.parse("a and " * 200 + "a")
    with pytest.raises(expr.ExprError):
        expr.parse("(" * 100 + "a" + ")" * 100)


@pytest.mark.parametrize("op", ["==", "!=", "<", "<=", ">", ">="])
@pytest.mark.parametrize("const", ["40", "40.5", "-3", '"high"'])
def test_a_variable_or_a_count_against_a_constant_reads_as_the_general_comparison(op, const):
    """Variables and the turn/offer counts are compared with a number in one step; the
    answer is the general rule's for every operator, and text stays false, not a crash."""
    from types import SimpleNamespace

    from negtrainer.engine.state import SCALAR_GETTERS

    def fast(name):
        if name == "trust":
            return expr.var_getter("trust")
        return SCALAR_GETTERS[name]

    def plain(name):
        if name == "trust":
            return lambda st: st.vars["trust"]
        return lambda st: getattr(st, name)

    for name in ("trust", "turn", "offers"):
        node = expr.parse(f"{name} {op} {const}")
        quick, general = expr.compile_expr(node, fast), expr.compile_expr(node, plain)
        for value in (-3, 0, 40, 41, 100):
            st = SimpleNamespace(vars={"trust": float(value) + 0.5}, turn=value, offers=value)
            assert quick(st) == general(st), (name, op, const, value)
