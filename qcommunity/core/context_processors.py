"""Context every site template gets: the navigation the user's roles allow."""

from django.urls import reverse

from qcommunity.accounts.enums import Role


def navigation_for(user, path: str = "") -> list[dict]:
    items: list[dict] = [
        {
            "href": reverse("members:search"),
            "text": "Directory",
            "current": path.startswith("/directory/"),
        },
        {
            "href": reverse("exchange:round-list"),
            "text": "Q Exchange",
            "current": path.startswith("/exchange/"),
        },
    ]
    # Everyone who is not yet a member is shown the way in: visitors and people with an
    # account (an applicant's drafts and status pages live under /join/ too).
    if not (user.is_authenticated and user.has_role(Role.MEMBER)):
        items.append(
            {
                "href": reverse("members:join"),
                "text": "Join Q",
                "current": path.startswith("/join/"),
            }
        )
    if user.is_authenticated and user.has_role(Role.PANEL_MEMBER):
        items.append(
            {
                "href": reverse("members:panel-list"),
                "text": "Panels",
                "current": path.startswith("/panels/"),
            }
        )
    if user.is_authenticated and (user.has_role(Role.EDITOR) or user.has_role(Role.STAFF_ADMIN)):
        items.append(
            {
                "href": reverse("newsletters-staff:issue-list"),
                "text": "Newsletters",
                "current": path.startswith("/staff/newsletters/"),
            }
        )
    if (
        user.is_authenticated
        and user.has_role(Role.ROUND_MANAGER)
        and not user.has_role(Role.STAFF_ADMIN)
    ):
        items.append(
            {
                "href": reverse("members-staff:round-list"),
                "text": "Your rounds",
                "current": path.startswith("/staff/rounds/"),
            }
        )
    if user.is_authenticated and user.has_role(Role.ACCREDITATION_COORDINATOR):
        items.append(
            {
                "href": reverse("accreditation-staff:standard-list"),
                "text": "Accreditation",
                "current": path.startswith("/accreditation/"),
            }
        )
    if user.is_authenticated and user.has_role(Role.STAFF_ADMIN):
        items.append({"href": reverse("core-staff:index"), "text": "Staff"})
    return items


def site(request) -> dict:
    user = request.user
    return {
        "site_name": "Q Community",
        "navigation": navigation_for(user, request.path),
        "current_path": request.path,
    }
