"""Reminders Q Exchange registers with the reminders engine (qcommunity.reminders), gathered
from its features.

Voting closing: 2 days before voting closes in a round, each member who has not voted is
reminded, once per round, unless they turned "Reminders to vote" off at /me/notifications/ (the
notification kind EXCHANGE_VOTING_REMINDER). Choosing the daily summary for it still sends it in
its own email, as the kind's description tells them: it is about a closing date, and the morning
summary could arrive too late to act on. Voting stops it.

Comments closing and the proposal deadline go to the team of the proposal concerned: they are
about work the member leads, not a general prompt, so no choice turns them off.
"""

from .comments import reminders as comments  # noqa: F401
from .proposals import reminders as proposals  # noqa: F401
from .voting import reminders as voting  # noqa: F401
