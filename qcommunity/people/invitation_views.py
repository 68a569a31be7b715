"""Invitations: staff send a checked list and follow what became of each; the person invited
accepts on a page of their own."""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from qcommunity.accounts.roles import find_role
from qcommunity.core.errors import ServiceError, form_add_error

from . import invitations, selectors
from .forms import InvitationFilterForm, InvitationListForm
from .models import Invitation
from .views import FreshSignInMixin, PeopleStaffMixin


class InvitationListView(PeopleStaffMixin, ListView):
    template_name = "people/invitation_list.jinja"
    context_object_name = "invitations"
    paginate_by = 50

    def get_queryset(self):
        self.form = InvitationFilterForm(self.request.GET or None)
        state = self.form.cleaned_data["status"] if self.form.is_valid() else ""
        return selectors.invitation_list(state=state)

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=self.form, **kwargs)


class InvitationSendView(PeopleStaffMixin, FreshSignInMixin, FormView):
    """Check a list, show what will be sent (or every row's problem), then send on a second
    press. Nothing is stored between the two: the confirmation posts the same rows back and
    they are checked again."""

    template_name = "people/invitation_send.jinja"
    form_class = InvitationListForm

    def get_context_data(self, **kwargs):
        kinds = invitations.givable_kinds(self.request.user)
        return super().get_context_data(
            kinds=kinds,
            scopes={kind.key: kind.scopes() for kind in kinds if kind.scoped},
            **kwargs,
        )

    def form_valid(self, form):
        content = form.content()
        plan = invitations.invitations_read(actor=self.request.user, data=content)
        if self.request.POST.get("confirm") and plan.ready:
            try:
                sent = invitations.invitations_send(
                    actor=self.request.user, plan=plan, reason=form.cleaned_data["reason"]
                )
            except ServiceError as error:
                form_add_error(form, error)
                return self.form_invalid(form)
            messages.success(
                self.request,
                f"{len(sent)} invitation{'s' if len(sent) != 1 else ''} sent.",
            )
            return redirect("people-staff:invitation-list")
        return self.render_to_response(
            self.get_context_data(
                form=form,
                plan=plan,
                content=content.decode("utf-8-sig", errors="replace"),
            )
        )


class InvitationActionView(PeopleStaffMixin, View):
    """Send again (a new link and expiry) or withdraw one invitation."""

    http_method_names = ["post"]
    action = ""

    def post(self, request, pk):
        invitation = get_object_or_404(Invitation, pk=pk)
        service = (
            invitations.invitation_resend
            if self.action == "resend"
            else invitations.invitation_revoke
        )
        try:
            service(actor=request.user, invitation=invitation)
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"Invitation sent again to {invitation.email}, with a new link."
                if self.action == "resend"
                else f"Invitation to {invitation.email} withdrawn: its link no longer works.",
            )
        return redirect("people-staff:invitation-list")


class InvitationAcceptView(TemplateView):
    """The page the invitation's link opens. Visitors are offered to sign in or create an
    account with the address (which the link proves they read, so allauth counts it as
    verified); signed in with that address, they accept."""

    template_name = "people/invitation_accept.jinja"

    def get_invitation(self) -> Invitation:
        invitation = invitations.invitation_by_token(self.kwargs["token"])
        if invitation is None:
            raise Http404
        return invitation

    def get_context_data(self, **kwargs):
        invitation = self.get_invitation()
        user = self.request.user
        problem = invitations.invitation_problem(invitation, user)
        if not user.is_authenticated and not problem:
            get_adapter().stash_verified_email(self.request, invitation.email)
        here = self.request.path
        return super().get_context_data(
            invitation=invitation,
            problem=problem,
            sign_in_url=f"{reverse('account_login')}?{urlencode({'next': here})}",
            sign_up_url=f"{reverse('account_signup')}?{urlencode({'next': here})}",
            **kwargs,
        )

    def post(self, request, token):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
        invitation = self.get_invitation()
        try:
            invitations.invitation_accept(user=request.user, invitation=invitation)
        except ServiceError as error:
            messages.error(request, str(error))
            return redirect(request.path)
        messages.success(request, f"You now have the role {invitation.label}.")
        kind = find_role(invitation.role)
        return redirect(kind.link(invitation.scope) if kind else "/")
