"""Source information: every equation records the user's line, through every transform.

Lines the equations must name end in ``# <- name``.
"""

import functools
import pathlib
import re

import numpy as np
import pytest

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad import lax
from mini_ad.transforms.simplify import simplify

THIS_FILE = pathlib.Path(__file__).resolve()
LINES = THIS_FILE.read_text().splitlines()


def line_of(marker: str) -> int:
    hits = [i + 1 for i, line in enumerate(LINES) if line.rstrip().endswith(f"# <- {marker}")]
    assert len(hits) == 1, marker
    return hits[0]


def all_eqns(jaxpr):
    """Every equation, inside sub-Jaxprs too."""
    for eqn in jaxpr.eqns:
        yield eqn
        for value in eqn.params.values():
            for item in value if isinstance(value, tuple) else (value,):
                inner = getattr(item, "jaxpr", item)
                if hasattr(inner, "eqns") and hasattr(inner, "invars"):
                    yield from all_eqns(inner)


def lines(closed) -> list:
    return [(e.primitive.name, e.source.line if e.source else None) for e in all_eqns(closed)]


def f(x, np_=mnp):
    y = np_.sin(x)  # <- f-sin
    return np_.sum(y * 2.0)  # <- f-sum


def test_pretty_print_with_source_info_and_plain_print_unchanged():
    closed = ad.make_jaxpr(f)(np.ones(3))
    assert "#" not in str(closed)
    text = closed.pretty_print(source_info=True)
    body = text.splitlines()[1:-1]
    assert len(body) == 3
    pattern = re.compile(r"^    \S.*\S +# (.+):(\d+):(\d+) \(f\)$")
    for line in body:
        file, _, _ = pattern.match(line).groups()
        assert pathlib.Path(file).resolve() == THIS_FILE
    assert len({line.index("#") for line in body}) == 1  # one comment column
    assert max(len(line.split("#")[0].rstrip()) for line in body) + 1 == body[0].index("#")
    assert [int(pattern.match(line).group(2)) for line in body] == [
        line_of("f-sin"),
        line_of("f-sum"),
        line_of("f-sum"),
    ]


def test_locations_match_jax():
    jax = pytest.importorskip("jax")
    jnp = pytest.importorskip("jax.numpy")
    ours = ad.make_jaxpr(f)(np.ones(3)).pretty_print(source_info=True)
    theirs = jax.make_jaxpr(functools.partial(f, np_=jnp))(np.ones(3)).pretty_print(
        source_info=True
    )

    def comments(text):
        return [line.split("# ")[1] for line in text.splitlines() if "# " in line]

    assert comments(ours) == comments(theirs)


def test_lines_survive_grad_and_backward_equations_say_whose_transpose_they_are():
    closed = ad.make_jaxpr(ad.grad(f))(np.ones(3))
    for eqn in closed.eqns:
        assert eqn.source.line in (line_of("f-sin"), line_of("f-sum"))
    backward = [e for e in closed.eqns if e.source.pass_ == "backward"]
    assert backward
    last = backward[-1]
    assert last.primitive.name == "mul" and last.source.describe() == "transpose of sin"
    assert last.source.line == line_of("f-sin")
    text = closed.pretty_print(source_info=True)
    assert f"{THIS_FILE}:{line_of('f-sin')}" in text


def test_lines_survive_vmap_jit_hessian_and_simplification():
    wanted = {line_of("f-sin"), line_of("f-sum")}
    programs = [
        ad.make_jaxpr(ad.vmap(ad.grad(f)))(np.ones((2, 3))),
        ad.make_jaxpr(ad.jit(ad.grad(ad.jit(f))))(np.ones(3)),
        ad.make_jaxpr(ad.hessian(f))(np.ones(3)),  # <- hessian
        ad.make_jaxpr(ad.grad(lambda x: ad.grad(f)(x).sum()))(np.ones(3)),  # <- grad-grad
    ]
    for closed in programs:  # (a jit equation names the line that called the jitted function)
        found = {line for name, line in lines(closed) if name != "jit"}
        assert found and found <= wanted | {line_of("hessian"), line_of("grad-grad")}, (
            closed.pretty_print(True)
        )
        assert found & wanted
    simple = simplify(ad.make_jaxpr(ad.jit(ad.grad(f)))(np.ones(3)))
    assert {e.source.line for e in simple.eqns} <= wanted


def branchy(x):
    return lax.cond(x > 0, lambda v: mnp.sin(v), lambda v: mnp.cos(v), x)  # <- cond


def scanned(xs):
    def body(carry, x):
        return carry + mnp.sin(x), None  # <- scan-body

    return lax.scan(body, 0.0, xs)[0]  # <- scan


def looped(x):
    return lax.fori_loop(0, 3, lambda i, v: mnp.sin(v), x)  # <- fori


def test_lines_survive_control_flow():
    assert {line for _, line in lines(ad.make_jaxpr(ad.grad(branchy))(1.0))} == {line_of("cond")}
    found = dict(lines(ad.make_jaxpr(ad.grad(scanned))(np.ones(3))))
    assert found["scan"] == line_of("scan")
    assert found["sin"] == found["cos"] == line_of("scan-body")
    assert {line for _, line in lines(ad.make_jaxpr(ad.grad(looped))(1.0))} == {line_of("fori")}


@ad.custom_jvp
def softplus(x):
    return mnp.log1p(mnp.exp(x))  # <- softplus-body


@softplus.defjvp
def softplus_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    return softplus(x), t * mnp.tanh(x)


@ad.custom_vjp
def cube(x):
    return x * x * x  # <- cube-body


def cube_fwd(x):
    return cube(x), x


def cube_bwd(x, ct):
    return (3.0 * x * x * ct,)


cube.defvjp(cube_fwd, cube_bwd)


def uses_custom_rules(x):
    return softplus(x) + cube(x)  # <- custom-call


def test_lines_survive_custom_rules():
    closed = ad.make_jaxpr(ad.grad(uses_custom_rules))(1.0)
    found = lines(closed)
    call = line_of("custom-call")
    by_name = {}
    for name, line in found:
        by_name.setdefault(name, set()).add(line)
    assert by_name["custom_jvp_call"] == by_name["custom_vjp_call"] == {call}
    assert by_name["exp"] == by_name["log1p"] == {line_of("softplus-body")}
    assert by_name["tanh"] == {call}  # the rule's equations point at the call
    # the user's bwd runs inside the transpose rule: its equations point at the call too
    top_level = {e.source.line for e in closed.eqns}
    assert top_level == {call}


def test_linearize_under_a_transform_records_sources_in_its_linear_program():
    def tangent_of_f(t):
        return ad.linearize(f, np.ones(3))[1](t)

    closed = ad.make_jaxpr(tangent_of_f)(np.ones(3))
    assert {e.source.line for e in closed.eqns} <= {line_of("f-sin"), line_of("f-sum")}
    assert {e.source.describe() for e in closed.eqns} >= {"jvp of sin"}
