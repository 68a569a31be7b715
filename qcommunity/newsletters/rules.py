"""The newsletters' permissions, each declared in its feature's rules.py."""

from .issues import rules as issues_rules  # noqa: F401
from .sending import rules as sending_rules  # noqa: F401
from .showcase import rules as showcase_rules  # noqa: F401
from .subscriptions import rules as subscriptions_rules  # noqa: F401
