"""巾帼致富 (development): one module per topic, all imported here (Django finds models through this package)."""

from .cultivation import *  # noqa: F403
from .demonstration import *  # noqa: F403
from .loan import *  # noqa: F403
from .talent import *  # noqa: F403
