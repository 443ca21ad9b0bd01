"""创先争优 campaigns: one module per topic, all imported here (Django finds models through this package)."""

from .assessment import *  # noqa: F403
from .campaign import *  # noqa: F403
from .commendation import *  # noqa: F403
from .pledge import *  # noqa: F403
from .study import *  # noqa: F403
from .supervision import *  # noqa: F403
