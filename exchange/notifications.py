"""Q Exchange's notifications, gathered from its features: comments and replies, decisions,
progress updates, reminders to vote and proposals to review. Found when the site starts
(`qcommunity.notifications`); services pass each feature's keys to `notify`. Kinds of one group
are listed in the order they are declared, so the imports keep the page's order."""

# isort: off
from .comments import notifications as comments  # noqa: F401
from .decisions import notifications as decisions  # noqa: F401
from .voting import notifications as voting  # noqa: F401
from .shortlist import notifications as shortlist  # noqa: F401
# isort: on
