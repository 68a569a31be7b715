"""Q Exchange's permissions, gathered from its features (each registers its own rules)."""

from .comments import rules as comments_rules  # noqa: F401
from .proposals import rules as proposals_rules  # noqa: F401
from .rounds import rules as rounds_rules  # noqa: F401
from .shortlist import rules as shortlist_rules  # noqa: F401
from .voting import rules as voting_rules  # noqa: F401
