"""Data-parallel training over 8 devices: ``jit(step, backend="xla", in_shardings=...)``.

A training step of the README's MLP and of a scan RNN runs with the batch split over a
``Mesh`` of 8 devices (parameters replicated); XLA partitions mini_ad's program and
reduces the gradients across devices. The parameters after three steps equal the
single-device step's (XLA, and mini_ad's NumPy backend) to 1e-12, and the compiled
HLO has the all-reduce. The 8 devices are CPU devices made by
``XLA_FLAGS=--xla_force_host_platform_device_count=8``, which must be set before JAX
starts, so the check runs in a subprocess.
"""

import os
import pathlib
import re
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("jax")

ROOT = pathlib.Path(__file__).resolve().parent.parent

SCRIPT = textwrap.dedent(
    """
    import jax
    import numpy as np
    from jax.sharding import Mesh, NamedSharding, PartitionSpec as P

    import mini_ad as ad
    import mini_ad.numpy as mnp
    from mini_ad import lax
    from mini_ad.tree_util import tree_leaves, tree_map

    assert len(jax.devices()) == 8, jax.devices()
    mesh = Mesh(np.array(jax.devices()), ("data",))
    replicated = NamedSharding(mesh, P())


    def mlp_loss(params, x, y):  # the README's model
        w, b = params
        return mnp.mean((mnp.tanh(x @ w + b) - y) ** 2)


    def rnn_loss(params, xs, ys):  # xs: (time, batch, features)
        def step(h, x):
            h = mnp.tanh(h @ params["wh"] + x @ params["wx"] + params["b"])
            return h, h

        _, hs = lax.scan(step, mnp.zeros((xs.shape[1], params["wh"].shape[0])), xs)
        return mnp.mean((hs - ys) ** 2)


    def make_step(loss):
        def train_step(params, x, y):
            value, grads = ad.value_and_grad(loss)(params, x, y)
            return tree_map(lambda p, g: p - 0.5 * g, params, grads), value

        return train_step


    rng = np.random.default_rng(0)
    cases = {
        "mlp": (
            mlp_loss,
            (rng.standard_normal((3, 2)), rng.standard_normal(2)),
            rng.standard_normal((64, 3)),
            rng.standard_normal((64, 2)),
            NamedSharding(mesh, P("data")),  # split the batch (axis 0)
        ),
        "rnn": (
            rnn_loss,
            {"wh": 0.3 * rng.standard_normal((4, 4)), "wx": rng.standard_normal((3, 4)),
             "b": np.zeros(4)},
            rng.standard_normal((5, 32, 3)),
            rng.standard_normal((5, 32, 4)),
            NamedSharding(mesh, P(None, "data")),  # split the batch (axis 1)
        ),
    }
    for name, (loss, params, x, y, batch) in cases.items():
        step = make_step(loss)
        sharded = ad.jit(
            step, backend="xla", in_shardings=(replicated, batch, batch),
            out_shardings=replicated,
        )
        one_device = ad.jit(step, backend="xla", device=jax.devices()[0])
        numpy_step = ad.jit(step)
        ps = {"sharded": params, "one device": params, "numpy": params}
        for _ in range(3):
            ps["sharded"], loss_s = sharded(ps["sharded"], x, y)
            ps["one device"], loss_1 = one_device(ps["one device"], x, y)
            ps["numpy"], loss_n = numpy_step(ps["numpy"], x, y)
            assert abs(loss_s - loss_1) <= 1e-12 and abs(loss_s - loss_n) <= 1e-12
        for other in ("one device", "numpy"):
            for a, b in zip(tree_leaves(ps["sharded"]), tree_leaves(ps[other]), strict=True):
                assert type(a) is np.ndarray
                assert np.max(np.abs(a - b)) <= 1e-12, (name, other, np.max(np.abs(a - b)))
        hlo = sharded.lower(params, x, y).compile().as_text()
        assert "all-reduce" in hlo, name  # the gradients are reduced across devices
        assert "num_partitions=8" in hlo, name
        print(name, "ok")
    """
)


def run_on_8_cpu_devices(script: str) -> str:
    """Run ``script`` in a fresh Python whose JAX sees 8 CPU devices; its stdout."""
    env = dict(os.environ)
    env["XLA_FLAGS"] = (
        env.get("XLA_FLAGS", "") + " --xla_force_host_platform_device_count=8"
    ).strip()
    env["JAX_PLATFORMS"] = "cpu"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, env=env
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_data_parallel_training_step_on_8_devices_equals_one_device():
    assert run_on_8_cpu_devices(SCRIPT).split() == ["mlp", "ok", "rnn", "ok"]


def test_the_guide_runs_on_8_devices():
    guide = (ROOT / "docs" / "one_cpu_to_many_devices.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", guide, flags=re.S)
    assert len(blocks) >= 4
    out = run_on_8_cpu_devices("\n".join(blocks))
    assert "8 devices; True" in out, out
