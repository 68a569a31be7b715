"""What Q Exchange holds about a person (qcommunity.privacy.registry), gathered from its
features: the proposals they lead or are on the team of, their comments and reports, the
proposals they support, their ballots, their shortlisting reviews, the progress updates and
edits they made, and the files they attached.

Deleting the account (qcommunity.privacy.services.account_delete) runs each feature's `erase`
inside its one transaction, before the account becomes the "Former member" tombstone. A
proposal is a shared public record (co-authors, comments, decisions, funding), so it stays; so
do a ballot already counted, a submitted review, progress updates and attachments, all shown as
by "Former member" from then on. Every erase is a few set-based statements, whatever the amounts."""

from .comments import personal_data as comments  # noqa: F401
from .proposals import personal_data as proposals  # noqa: F401
from .shortlist import personal_data as shortlist  # noqa: F401
from .voting import personal_data as voting  # noqa: F401
