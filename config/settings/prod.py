"""Production settings: what `ocop serve` and `make run` use. Security flags come from the environment."""

from .base import *  # noqa: F403
