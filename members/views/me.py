"""A member's own directory entry: edit, photo, who can see it, confirm it, preview it."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView, View

from qcommunity.core.permissions import PermissionRequired404Mixin

from ..enums import Visibility
from ..forms import MAX_LINKS, MessagesForm, PhotoForm, ProfileForm, VisibilityForm
from ..selectors import profile_get_own
from ..services import (
    profile_confirm_up_to_date,
    profile_create,
    profile_remove_photo,
    profile_set_accepts_messages,
    profile_set_photo,
    profile_set_visibility,
    profile_update,
)
from .profile import profile_context


class OwnProfileMixin(PermissionRequired404Mixin):
    """Members only; the member's entry is created (hidden) the first time they need it."""

    permission_required = "members.edit_own_profile"

    def get_profile(self):
        user = self.request.user
        profile = profile_get_own(user)
        if profile is None:
            profile_create(user=user, actor=user)
            profile = profile_get_own(user)
        return profile


class ProfileEditView(OwnProfileMixin, TemplateView):
    template_name = "members/me_profile_edit.jinja"

    def get_context_data(self, **kwargs):
        profile = kwargs.pop("profile", None) or self.get_profile()
        context = super().get_context_data(**kwargs)
        context["profile"] = profile
        context["max_links"] = MAX_LINKS
        context.setdefault("form", ProfileForm(initial=ProfileForm.initial_for(profile)))
        context.setdefault("photo_form", PhotoForm())
        context.setdefault(
            "visibility_form", VisibilityForm(initial={"visibility": profile.visibility})
        )
        context.setdefault(
            "messages_form",
            MessagesForm(initial={"accepts_messages": "yes" if profile.accepts_messages else "no"}),
        )
        return context

    def post(self, request):
        profile = self.get_profile()
        form = ProfileForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(profile=profile, form=form))
        profile_update(
            profile=profile,
            actor=request.user,
            fields=form.profile_fields(),
            topics=form.cleaned_data["topics"],
            approaches=form.cleaned_data["approaches"],
            offers=form.cleaned_data["offers"],
        )
        messages.success(request, "Your directory entry has been saved")
        return redirect("me:profile-edit")


class ProfilePhotoUploadView(ProfileEditView):
    http_method_names = ["post"]

    def post(self, request):
        profile = self.get_profile()
        form = PhotoForm(request.POST, request.FILES)
        if not form.is_valid():
            # Only the photo failed: the rest of the entry is untouched and shown as saved.
            return self.render_to_response(self.get_context_data(profile=profile, photo_form=form))
        profile_set_photo(profile=profile, photo=form.cleaned_data["photo"], actor=request.user)
        messages.success(request, "Your photo has been uploaded")
        return redirect("me:profile-edit")


class ProfilePhotoRemoveView(OwnProfileMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        profile_remove_photo(profile=self.get_profile(), actor=request.user)
        messages.success(request, "Your photo has been removed")
        return redirect("me:profile-edit")


VISIBILITY_MESSAGES = {
    Visibility.HIDDEN: "Your entry is now hidden. Only you and Q staff can see it.",
    Visibility.MEMBERS: "Your entry is now published. Q members can see it.",
    Visibility.PUBLIC: "Your entry is now published. Anyone can see it.",
}


class ProfileVisibilityView(ProfileEditView):
    http_method_names = ["post"]

    def post(self, request):
        profile = self.get_profile()
        form = VisibilityForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(
                self.get_context_data(profile=profile, visibility_form=form)
            )
        visibility = form.cleaned_data["visibility"]
        profile_set_visibility(profile=profile, visibility=visibility, actor=request.user)
        messages.success(request, VISIBILITY_MESSAGES[Visibility(visibility)])
        return redirect("me:profile-edit")


class ProfileMessagesView(ProfileEditView):
    http_method_names = ["post"]

    def post(self, request):
        profile = self.get_profile()
        form = MessagesForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(
                self.get_context_data(profile=profile, messages_form=form)
            )
        accepts = form.cleaned_data["accepts_messages"]
        profile_set_accepts_messages(profile=profile, accepts=accepts, actor=request.user)
        messages.success(
            request,
            "Members can send you messages through the site"
            if accepts
            else "Members cannot send you messages through the site now",
        )
        return redirect("me:profile-edit")


class ProfileConfirmView(OwnProfileMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        profile_confirm_up_to_date(profile=self.get_profile(), actor=request.user)
        messages.success(request, "Thank you. Your entry is marked as up to date.")
        return HttpResponseRedirect(reverse("me:profile-edit"))


class ProfilePreviewView(OwnProfileMixin, TemplateView):
    """The entry as a visitor or a member would see it (never as staff or as its owner)."""

    template_name = "members/me_profile_preview.jinja"

    def get_context_data(self, **kwargs):
        profile = self.get_profile()
        audience = "visitor" if self.request.GET.get("as") == "visitor" else "member"
        allowed = (
            [Visibility.PUBLIC]
            if audience == "visitor"
            else [Visibility.PUBLIC, Visibility.MEMBERS]
        )
        context = super().get_context_data(**kwargs)
        context.update(profile_context(profile, viewer_is_member=False, is_owner=False))
        context["audience"] = audience
        context["can_see"] = profile.visibility in allowed
        return context
