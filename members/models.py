"""Every model of the members app, gathered so Django registers them with the app (label
"members"); each lives in its feature package."""

from .coffee.models import CoffeePairing  # noqa: F401
from .directory.models import Approach, ContactMessage, Offer, Profile, Term, Topic  # noqa: F401
from .joining.models import (  # noqa: F401
    Application,
    ApplicationAnswer,
    EligibleCourse,
    NominationCode,
    Round,
)
