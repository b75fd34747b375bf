"""mini_ad.explain: the step-through record of a transformed function."""

import numpy as np

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad.core.jaxpr import Literal


def loss(params, x, y):  # the README's MLP
    w, b = params
    return mnp.mean((mnp.tanh(x @ w + b) - y) ** 2)


W, B = np.linspace(-1.0, 1.0, 6).reshape(3, 2), np.array([0.1, -0.2])
X, Y = np.linspace(0.0, 1.0, 12).reshape(4, 3), np.zeros((4, 2))


def evaluate_step_by_step(closed, args):
    """Each equation of ``closed`` and the values it computes, by a plain loop."""
    env = dict(zip(map(id, closed.jaxpr.invars), args, strict=True))
    env.update(zip(map(id, closed.jaxpr.constvars), closed.consts, strict=True))
    done = []
    for eqn in closed.eqns:
        ins = [x.val if isinstance(x, Literal) else env[id(x)] for x in eqn.inputs]
        out = eqn.primitive.bind(*ins, **eqn.params)
        outs = out if eqn.primitive.multiple_results else [out]
        env.update(zip(map(id, eqn.outputs), outs, strict=True))
        done.append((eqn, outs))
    return done


def test_backward_steps_and_cotangents_equal_the_staged_gradient_evaluated_step_by_step():
    record = ad.explain(ad.grad(loss))((W, B), X, Y)
    closed = record.jaxpr
    assert str(closed) == str(ad.make_jaxpr(ad.grad(loss))((W, B), X, Y))  # the same program
    reference = evaluate_step_by_step(closed, [W, B, X, Y])
    assert len(record.steps) == len(reference) == len(closed.eqns)
    backward = [(e, outs) for e, outs in reference if e.source.pass_ == "backward"]
    assert len(backward) >= 5 and record.backward
    assert [s.primitive for s in record.backward] == [e.primitive.name for e, _ in backward]
    for step, (eqn, outs) in zip(record.backward, backward, strict=True):
        assert step.eqn is eqn
        assert step.rule.startswith("transpose of ")
        for got, expected in zip(step.outputs, outs, strict=True):
            np.testing.assert_array_equal(got, expected)
    # every forward step precedes every backward one, and the outputs are grad's
    assert [s.pass_ for s in record.steps] == sorted(
        (s.pass_ for s in record.steps), key=lambda p: p == "backward"
    )
    expected = ad.grad(loss)((W, B), X, Y)
    for got, want in zip(record.outputs, expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-14)


def test_steps_name_the_users_line_and_summaries_count_nans():
    def f(x):
        return mnp.where(x > 0, mnp.sqrt(x), 0.0)

    record = ad.explain(ad.grad(f))(0.0)
    line = f.__code__.co_firstlineno + 1
    assert all(s.source.line == line for s in record.steps)
    bad = record.first_nonfinite
    assert (bad.pass_, bad.primitive, bad.rule) == ("forward", "div", "jvp of sqrt")
    assert bad.summaries[0].infs == 1
    nan_step = next(s for s in record.steps if s.summaries[0].nans)
    assert (nan_step.pass_, nan_step.rule) == ("backward", "transpose of sqrt")
    assert nan_step.cotangents and nan_step.cotangents[0].max == 0.0


def test_explain_steps_into_jit_and_handles_vmap():
    f = ad.jit(ad.vmap(ad.grad(lambda x: mnp.sum(mnp.sin(x) ** 2))))
    xs = np.linspace(0.0, 1.0, 6).reshape(3, 2)
    record = ad.explain(f)(xs)
    assert record.steps and all(s.depth == 1 for s in record.steps)
    assert {s.pass_ for s in record.steps} == {"forward", "backward"}
    np.testing.assert_allclose(record.outputs[0], f(xs), rtol=1e-14)


def test_table_and_html():
    record = ad.explain(ad.grad(loss))((W, B), X, Y)
    text = str(record)
    assert text.startswith("explain(loss):")
    assert "transpose of tanh" in text and "backward" in text
    assert len(text.splitlines()) == len(record.steps) + 3
    page = record._repr_html_()
    assert page.startswith("<table>") and page.count("<tr") == len(record.steps) + 1
    assert "test_explain.py" in page
