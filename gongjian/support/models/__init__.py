"""维权与关爱 (support): one module per topic, all imported here (Django finds models through this package)."""

from .care import *  # noqa: F403
from .case import *  # noqa: F403
from .service import *  # noqa: F403
