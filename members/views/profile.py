"""A directory entry's page, its photo, and "contact this member"."""

import mimetypes

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.generic import FormView, TemplateView, View

from qcommunity.accounts.enums import Role
from qcommunity.core.permissions import PermissionRequired404Mixin
from qcommunity.core.taxonomy import RoleType

from ..directory_cache import page_get, page_set, profile_audience_for, profile_key
from ..selectors import contact_reply_route, profile_get_for_viewer, profile_takes_messages
from .relay import RelayMessageFormMixin


def profile_context(profile, *, viewer_is_member: bool, is_owner: bool) -> dict:
    """What the profile template shows; shared by the page and the owner's previews."""
    return {
        "profile": profile,
        "is_owner": is_owner,
        "role_type_labels": [RoleType(r).label for r in profile.role_types if r in RoleType],
        "show_contact": not is_owner and viewer_is_member,
        "takes_messages": profile_takes_messages(profile),
    }


class ProfileDetailView(TemplateView):
    template_name = "members/profile_detail.jinja"

    def get(self, request, *args, **kwargs):
        audience = profile_audience_for(request.user)
        if audience is None:
            return super().get(request, *args, **kwargs)
        # Visitors, and members who are not staff, share one rendering of each entry
        # (members.directory_cache); the version is read before any query.
        key = profile_key(audience=audience, slug=kwargs["slug"])
        version, entry = page_get(key)
        if entry is None or entry["user_id"] == request.user.pk:
            context = self.get_context_data(**kwargs)
            if context["is_owner"]:
                return self.render_to_response(context)
            html = render_to_string("members/_profile_main.jinja", context, request)
            entry = {"html": html, "title": context["profile"].display_name}
            page_set(key, version=version, entry={**entry, "user_id": context["profile"].user_id})
        # Our own template's output, escaped when it was rendered.
        main_html = mark_safe(entry["html"])
        return self.render_to_response(
            {"view": self, "page_title": entry["title"], "main_html": main_html}
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        profile = profile_get_for_viewer(user=user, slug=self.kwargs["slug"])
        is_member = user.is_authenticated and user.has_role(Role.MEMBER)
        context = super().get_context_data(**kwargs)
        context.update(
            profile_context(
                profile, viewer_is_member=is_member, is_owner=profile.user_id == user.pk
            )
        )
        context["show_contact_sign_in"] = not user.is_authenticated
        return context


class ProfilePhotoView(View):
    """Photos are served only to people who may see the entry, never from a public folder."""

    def get(self, request, slug):
        profile = profile_get_for_viewer(user=request.user, slug=slug)
        if not profile.photo:
            raise Http404
        try:
            handle = default_storage.open(profile.photo.name, "rb")
        except FileNotFoundError:
            raise Http404 from None
        content_type = mimetypes.guess_type(profile.photo.name)[0] or "application/octet-stream"
        response = FileResponse(handle, content_type=content_type)
        response["Cache-Control"] = "private, max-age=3600"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ContactMixin(PermissionRequired404Mixin):
    permission_required = "members.contact_member"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_role(Role.MEMBER):
            self.profile = profile_get_for_viewer(user=request.user, slug=kwargs["slug"])
            if self.profile.user_id == request.user.pk:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(profile=self.profile, **kwargs)


class ContactView(ContactMixin, RelayMessageFormMixin, FormView):
    template_name = "members/profile_contact.jinja"

    @property
    def recipient(self):
        return self.profile

    def get_back_link(self) -> tuple[str, str]:
        return (
            reverse("profiles:profile-detail", kwargs={"slug": self.profile.slug}),
            f"Back to {self.profile.display_name}",
        )

    def message_sent(self):
        return redirect("profiles:contact-sent", slug=self.profile.slug)


class ContactSentView(ContactMixin, TemplateView):
    template_name = "members/profile_contact_sent.jinja"

    def get_context_data(self, **kwargs):
        route = contact_reply_route(sender=self.request.user, profile=self.profile)
        return super().get_context_data(reply_route=route, **kwargs)
