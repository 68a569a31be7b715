"""Every newsletters model, each defined in its feature's models.py, gathered here so Django
registers them with the app."""

from .imports.models import ImportBatch  # noqa: F401
from .issues.models import Delivery, Issue, IssueSection, ReusableBlock  # noqa: F401
from .showcase.models import ShowcaseItem  # noqa: F401
from .subscriptions.models import (  # noqa: F401
    ConsentRecord,
    Contact,
    Newsletter,
    SubscribeRequest,
    Subscription,
    Suppression,
)
