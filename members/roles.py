"""The roles the members app gives meaning to (`qcommunity.accounts.roles`): membership itself,
and seats on joining Q's regional panels."""

from qcommunity.accounts.enums import Role
from qcommunity.accounts.roles import SiteRole, register

from .directory.enums import Visibility
from .directory.models import Profile
from .directory.services import member_make, profile_set_visibility
from .joining.roles import ROUND_MANAGEMENT
from .panels.roles import JOINING_PANEL_SEAT


class Membership(SiteRole):
    """Making someone a member directly (founding members, a transfer from another
    programme) does what an accepted application does: the member role and a directory entry,
    hidden until they publish it. Taking membership away hides their entry again."""

    def grant(self, *, actor, user, scope: str, reason: str) -> None:
        member_make(user=user, actor=actor, source={"by": "staff"}, reason=reason)

    def revoke(self, *, actor, user, scope: str, reason: str) -> bool:
        held = super().revoke(actor=actor, user=user, scope=scope, reason=reason)
        profile = Profile.objects.filter(user=user).first()
        if held and profile is not None and profile.visibility != Visibility.HIDDEN:
            profile_set_visibility(profile=profile, visibility=Visibility.HIDDEN, actor=actor)
        return held


register(
    Membership(
        key=Role.MEMBER,
        label="Member",
        description=(
            "A member of Q: a directory entry (hidden until they publish it), voting in Q "
            "Exchange, random coffee and the members' pages."
        ),
        order=20,
    )
)
register(ROUND_MANAGEMENT)
register(JOINING_PANEL_SEAT)
