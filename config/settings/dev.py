"""Local development and `make run`: the embedded SQLite database and the demo county."""

from .base import *  # noqa: F403

# Robots on this machine may be tried with plain http (ADR 0046).
GONGJIAN_PUSH_ALLOW_LOOPBACK = env_bool("GONGJIAN_PUSH_ALLOW_LOOPBACK", True)  # noqa: F405
