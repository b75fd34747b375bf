"""``mini_ad.ad_checkpoint`` (JAX: ``jax.ad_checkpoint``): ``checkpoint`` with saving
policies, and ``checkpoint_name`` to label values for them."""

from mini_ad.api import checkpoint_policies
from mini_ad.api.checkpoint_policies import checkpoint_name
from mini_ad.control_flow.checkpoint import checkpoint, remat

__all__ = ["checkpoint", "checkpoint_name", "checkpoint_policies", "remat"]
