"""An organisation's pages for its staff (details, programmes, staff, inviting and removing),
registering a new one, the Quality Mark's landing page, and the coordinators' list with its
verify action. Views are thin: a form checks, a service acts, a refusal becomes a form error
or a message. Anyone who may not see an organisation gets 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView, View

from qcommunity.accounts.models import User
from qcommunity.accounts.roles import get_role
from qcommunity.core.errors import form_add_error
from qcommunity.core.paging import pagination_params
from qcommunity.core.permissions import PermissionRequired404Mixin
from qcommunity.people.invitations import invitation_revoke, invitation_send
from qcommunity.people.services import PeopleError, person_role_revoke

from . import selectors, services
from .forms import (
    InviteForm,
    OrganisationFilterForm,
    OrganisationForm,
    ProgrammeForm,
    StaffRemoveForm,
)
from .services import ProviderError

PER_PAGE = 50


def _provider_kind():
    """The role kind "Provider staff" (registered by `accreditation.roles`, above this
    package)."""
    return get_role("provider_staff")


class LandingView(TemplateView):
    """What the Quality Mark is, and a way in for providers."""

    template_name = "accreditation/providers/landing.jinja"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            memberships=selectors.memberships_for(self.request.user),
            may_verify=self.request.user.has_perm("accreditation.verify_organisations"),
            **kwargs,
        )


class OrganisationRegisterView(PermissionRequired404Mixin, TemplateView):
    permission_required = "accreditation.register_organisation"
    template_name = "accreditation/providers/organisation_form.jinja"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", OrganisationForm())
        return super().get_context_data(organisation=None, **kwargs)

    def post(self, request):
        form = OrganisationForm(request.POST)
        if form.is_valid():
            try:
                organisation = services.organisation_register(
                    actor=request.user, **form.cleaned_data
                )
            except ProviderError as error:
                form_add_error(form, error)
            else:
                messages.success(
                    request,
                    f"{organisation.name} is registered and you are its admin. A coordinator "
                    "will verify it before it can apply for the Quality Mark. Admins sign in "
                    "with two-factor authentication: if you have not set it up, you will be "
                    "asked to now.",
                )
                return redirect("accreditation:organisation-detail", organisation.slug)
        return self.render_to_response(self.get_context_data(form=form))


class OrganisationMixin(PermissionRequired404Mixin):
    permission_required = "accreditation.view_organisation"

    @property
    def organisation(self):
        if not hasattr(self, "_organisation"):
            self._organisation = selectors.organisation_get(self.kwargs["slug"])
        return self._organisation

    def get_permission_object(self):
        return self.organisation

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            organisation=self.organisation,
            may_change=user.has_perm("accreditation.change_organisation", self.organisation),
            may_change_programmes=user.has_perm(
                "accreditation.change_programmes", self.organisation
            ),
            may_manage_staff=user.has_perm(
                "accreditation.manage_provider_staff", self.organisation
            ),
            may_verify=user.has_perm("accreditation.verify_organisations"),
            **kwargs,
        )


class OrganisationDetailView(OrganisationMixin, TemplateView):
    template_name = "accreditation/providers/organisation_detail.jinja"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            programmes=selectors.programmes_of(self.organisation), **kwargs
        )


class OrganisationEditView(OrganisationMixin, TemplateView):
    permission_required = "accreditation.change_organisation"
    template_name = "accreditation/providers/organisation_form.jinja"

    def get_context_data(self, **kwargs):
        kwargs.setdefault(
            "form", OrganisationForm(initial=OrganisationForm.initial_for(self.organisation))
        )
        return super().get_context_data(**kwargs)

    def post(self, request, slug):
        form = OrganisationForm(request.POST)
        if form.is_valid():
            try:
                services.organisation_update(
                    actor=request.user, organisation=self.organisation, **form.cleaned_data
                )
            except ProviderError as error:
                form_add_error(form, error)
            else:
                messages.success(request, "The organisation's details have been saved")
                return redirect("accreditation:organisation-detail", slug)
        return self.render_to_response(self.get_context_data(form=form))


class ProgrammeMixin(OrganisationMixin):
    permission_required = "accreditation.change_programmes"

    @property
    def programme(self):
        if "pk" not in self.kwargs:
            return None
        if not hasattr(self, "_programme"):
            self._programme = self.organisation.programmes.filter(pk=self.kwargs["pk"]).first()
            if self._programme is None:
                raise Http404
        return self._programme


class ProgrammeFormView(ProgrammeMixin, TemplateView):
    """Adding a programme (no pk) or changing one."""

    template_name = "accreditation/providers/programme_form.jinja"

    def get_context_data(self, **kwargs):
        programme = self.programme
        kwargs.setdefault(
            "form",
            ProgrammeForm(initial=ProgrammeForm.initial_for(programme) if programme else None),
        )
        return super().get_context_data(programme=programme, **kwargs)

    def post(self, request, slug, pk=None):
        programme = self.programme
        form = ProgrammeForm(request.POST)
        if form.is_valid():
            try:
                if programme is None:
                    programme = services.programme_add(
                        actor=request.user, organisation=self.organisation, **form.cleaned_data
                    )
                    messages.success(request, f"{programme.name} has been added")
                else:
                    programme = services.programme_update(
                        actor=request.user, programme=programme, **form.cleaned_data
                    )
                    messages.success(request, f"{programme.name} has been saved")
            except ProviderError as error:
                form_add_error(form, error)
            else:
                return redirect("accreditation:organisation-detail", slug)
        return self.render_to_response(self.get_context_data(form=form))


class ProgrammeRemoveView(ProgrammeMixin, TemplateView):
    """Asks first (GET), removes on POST."""

    template_name = "accreditation/providers/programme_remove.jinja"

    def get_context_data(self, **kwargs):
        return super().get_context_data(programme=self.programme, **kwargs)

    def post(self, request, slug, pk):
        programme = self.programme
        try:
            services.programme_remove(actor=request.user, programme=programme)
        except ProviderError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{programme.name} has been removed")
        return redirect("accreditation:organisation-detail", slug)


class StaffListView(OrganisationMixin, TemplateView):
    template_name = "accreditation/providers/staff_list.jinja"

    def get_context_data(self, **kwargs):
        may_manage = self.request.user.has_perm(
            "accreditation.manage_provider_staff", self.organisation
        )
        return super().get_context_data(
            staff=selectors.staff_of(self.organisation),
            invitations=selectors.invitations_waiting(self.organisation) if may_manage else [],
            **kwargs,
        )


class StaffInviteView(OrganisationMixin, TemplateView):
    permission_required = "accreditation.manage_provider_staff"
    template_name = "accreditation/providers/staff_invite.jinja"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", InviteForm())
        return super().get_context_data(**kwargs)

    def post(self, request, slug):
        form = InviteForm(request.POST)
        if form.is_valid():
            kind = _provider_kind()
            organisation = self.organisation
            data = form.cleaned_data
            try:
                invitation_send(
                    actor=request.user,
                    email=data["email"],
                    name=data["name"],
                    kind=kind,
                    scope=kind.scope_for(organisation, data["role"]),
                    reason=f"{request.user.display_name} invited you to {organisation.name}'s "
                    "team for the Quality Mark.",
                )
            except PeopleError as error:
                form_add_error(form, error, fields={"scope": "role"})
            else:
                messages.success(
                    request,
                    f"We have emailed an invitation to {data['email']}. It expires in 14 days.",
                )
                return redirect("accreditation:staff-list", slug)
        return self.render_to_response(self.get_context_data(form=form))


class StaffRemoveView(OrganisationMixin, TemplateView):
    """Asks for a reason first (GET), removes on POST."""

    permission_required = "accreditation.manage_provider_staff"
    template_name = "accreditation/providers/staff_remove.jinja"

    @property
    def row(self):
        row = (
            self.organisation.staff.select_related("user")
            .filter(user_id=self.kwargs["user_id"])
            .first()
        )
        if row is None:
            raise Http404
        return row

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", StaffRemoveForm())
        return super().get_context_data(row=kwargs.pop("row", None) or self.row, **kwargs)

    def post(self, request, slug, user_id):
        row = self.row
        form = StaffRemoveForm(request.POST)
        if form.is_valid():
            kind = _provider_kind()
            try:
                person_role_revoke(
                    actor=request.user,
                    user=User.objects.get(pk=row.user_id),
                    kind=kind,
                    scope=kind.scope_for(self.organisation, row.role),
                    reason=form.cleaned_data["reason"],
                )
            except PeopleError as error:
                form_add_error(form, error)
            else:
                messages.success(
                    request, f"{row.user.display_name} no longer works for {self.organisation.name}"
                )
                if row.user_id == request.user.pk:
                    return redirect("accreditation:landing")
                return redirect("accreditation:staff-list", slug)
        return self.render_to_response(self.get_context_data(form=form, row=row))


class InvitationWithdrawView(OrganisationMixin, View):
    """Withdraws an invitation to this organisation still waiting (POST only): its link stops
    working."""

    permission_required = "accreditation.manage_provider_staff"
    http_method_names = ["post"]

    def post(self, request, slug, pk):
        invitation = selectors.invitation_waiting_get(self.organisation, pk)
        try:
            invitation_revoke(actor=request.user, invitation=invitation)
        except PeopleError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"The invitation to {invitation.email} has been withdrawn")
        return redirect("accreditation:staff-list", slug)


# Coordinators ----------------------------------------------------------------------------------


class CoordinatorMixin(PermissionRequired404Mixin):
    permission_required = "accreditation.verify_organisations"


class OrganisationListView(CoordinatorMixin, TemplateView):
    template_name = "accreditation/providers/staff/organisation_list.jinja"

    def get_context_data(self, **kwargs):
        form = OrganisationFilterForm(self.request.GET or None)
        status = form.cleaned_data.get("status", "") if form.is_valid() else ""
        page = Paginator(selectors.organisations_for_coordinators(status), PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(
            form=form,
            status=status,
            page_obj=page,
            organisations=list(page.object_list),
            pagination=pagination_params(self.request, page),
            **kwargs,
        )


class OrganisationVerifyView(CoordinatorMixin, TemplateView):
    """Asks first (GET), verifies on POST; a second submit says it is already verified."""

    template_name = "accreditation/providers/staff/organisation_verify.jinja"

    def get_context_data(self, **kwargs):
        organisation = selectors.organisation_get(self.kwargs["slug"])
        return super().get_context_data(
            organisation=organisation,
            admins=[row for row in selectors.staff_of(organisation) if row.is_admin],
            programmes=selectors.programmes_of(organisation),
            **kwargs,
        )

    def post(self, request, slug):
        organisation = selectors.organisation_get(slug)
        try:
            services.organisation_verify(actor=request.user, organisation=organisation)
        except ProviderError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"{organisation.name} is verified. We have emailed its admins."
            )
        return redirect("accreditation-staff:organisation-list")
