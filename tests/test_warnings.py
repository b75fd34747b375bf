"""No floating-point noise from mini_ad's internals: where an inf or a nan is the intended
result (``log(0)``, ``exp(1000)``, the untaken branch of a ``where``), NumPy's
RuntimeWarning does not reach the user, as JAX stays silent too. Each check runs in a fresh
interpreter with ``-W error::RuntimeWarning``, so any such warning fails it."""

import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
README_BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S)

WHERE_LOG = """
import numpy as np
import mini_ad as ad, mini_ad.numpy as mnp, mini_ad.nn as nn
f = lambda x: mnp.where(x > 0, mnp.log(x), 0.0)
print(ad.grad(f)(0.0), ad.jvp(f, (0.0,), (1.0,)), ad.hessian(f)(0.0))
print(ad.jit(f)(0.0), ad.jit(f)(np.zeros(3)), ad.jit(ad.grad(f))(0.0))
print(ad.vmap(ad.grad(f))(np.zeros(3)))
x = np.array([-1000.0, 0.0, 1000.0])
print(mnp.exp(x), ad.grad(lambda x: mnp.sum(nn.softplus(x)))(x))
print(ad.grad(lambda x: mnp.sum(nn.sigmoid(x)))(x), ad.jit(mnp.exp)(x))
"""


def run_strict(source: str):
    return subprocess.run([sys.executable, "-W", "error::RuntimeWarning", "-c", source],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)  # fmt: skip


def test_where_log_and_overflow_are_silent():
    out = run_strict(WHERE_LOG)
    assert out.returncode == 0, out.stderr
    assert "Warning" not in out.stderr


@pytest.mark.parametrize("index", range(len(README_BLOCKS)))
def test_readme_examples_are_silent(index):
    source = README_BLOCKS[index]
    if "check_against_jax" in source:
        pytest.importorskip("jax")
    out = run_strict(source)
    assert out.returncode == 0, out.stderr
    assert "Warning" not in out.stderr


def test_user_errstate_outside_mini_ad_is_untouched():
    out = run_strict("import numpy as np, mini_ad\nnp.log(np.zeros(1))")
    assert out.returncode != 0 and "RuntimeWarning" in out.stderr
