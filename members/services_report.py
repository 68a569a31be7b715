"""Writes for the staff round report: the record of each download of a round's decisions."""

from qcommunity.audit.services import audit_record
from qcommunity.core.errors import require_perm

from .models_joining import Round
from .services_joining import JoiningError

EXPORT_ACTION = "join_round.export_decisions"


def round_decisions_export_record(*, actor, round_: Round, row_count: int) -> None:
    """Log a staff download of the round's decisions CSV: who (the actor), when, which round
    (the target, so it shows in the round's audit trail) and how many rows it held. Staff who
    manage rounds only."""
    require_perm(actor, "members.manage_rounds", error=JoiningError)
    audit_record(actor=actor, action=EXPORT_ACTION, target=round_, data={"rows": row_count})
