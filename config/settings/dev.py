"""Local development and `make run`: the embedded SQLite database and the demo county."""

from .base import *  # noqa: F403
