"""What random coffee holds about a person (qcommunity.privacy.registry); the choices made on
deletion are explained in `members.directory.personal_data`."""

from django.db.models import Q

from qcommunity.privacy.registry import PersonalData, register

from ..directory.models import Profile
from .models import CoffeePairing
from .services import member_name, month_label

# Random coffee ---------------------------------------------------------------------------------


def coffee_export(user) -> list[dict]:
    opted_in = Profile.objects.filter(user_id=user.pk, coffee_opt_in=True).exists()
    pairings = (
        CoffeePairing.objects.filter(Q(member_a_id=user.pk) | Q(member_b_id=user.pk))
        .select_related("member_a", "member_b")
        .order_by("-month", "-id")
    )
    return [
        {
            "taking_part": opted_in,
            "pairings": [
                {
                    "month": month_label(p.month),
                    "paired_with": member_name(
                        p.member_b if p.member_a_id == user.pk else p.member_a
                    ),
                }
                for p in pairings
            ],
        }
    ]


def coffee_erase(user) -> None:
    """Opt out (the entry that holds the choice is deleted too, by profile_erase). Pairings
    already made stay: they are the other person's history as well, shown as "Former member"."""
    Profile.objects.filter(user_id=user.pk, coffee_opt_in=True).update(coffee_opt_in=False)


register(
    PersonalData(
        key="members.coffee",
        label="Random coffee: whether you take part and who you were paired with",
        on_delete="You are taken out of random coffee. People you were paired with still see "
        'the pairing in their history, with your name shown as "Former member".',
        export=coffee_export,
        erase=coffee_erase,
        order=22,
    )
)
