"""Q Exchange's models, gathered from its features so Django finds them (app label "exchange").

Shortlisting panels use the site-wide scoring kit: a round owns a `scoring.Scheme` (its
criteria and scale) and its panels; a panel's subjects are proposals."""

from .comments.models import Comment, CommentReport  # noqa: F401
from .proposals.models import (  # noqa: F401
    Attachment,
    ContributionPoint,
    ProgressUpdate,
    Proposal,
    ProposalEdit,
    SectionAnswer,
    TeamMember,
    TimelineItem,
)
from .rounds.models import Round, Section, Theme  # noqa: F401
from .voting.models import Ballot, BallotChoice, Support  # noqa: F401
