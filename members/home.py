"""What the members app shows on the home page (`qcommunity.core.home`), registered by each
feature's `home.py`."""

from .directory import home as directory_home  # noqa: F401
from .joining import home as joining_home  # noqa: F401
from .panels import home as panels_home  # noqa: F401
