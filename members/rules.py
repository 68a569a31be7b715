"""Permission predicates of the members app, registered by each feature's `rules.py`."""

from .coffee import rules as coffee_rules  # noqa: F401
from .directory import rules as directory_rules  # noqa: F401
from .joining import rules as joining_rules  # noqa: F401
from .panels import rules as panels_rules  # noqa: F401
