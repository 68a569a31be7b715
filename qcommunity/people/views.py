"""Staff pages for finding people and changing what their accounts may do. Changes (roles,
suspension) ask the administrator to confirm who they are first (allauth's re-authentication,
resumed where they were), after the permission check, so others still get a 404."""

from allauth.account.internal.flows.reauthentication import raise_if_reauthentication_required
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from qcommunity.accounts.models import User
from qcommunity.accounts.roles import all_roles
from qcommunity.audit.describe import AuditLabels, audit_people, describe_details
from qcommunity.core.errors import ServiceError, form_add_error
from qcommunity.core.exports import csv_response, export_record
from qcommunity.core.formatting import uk_date, uk_datetime
from qcommunity.core.permissions import PermissionRequired404Mixin

from . import selectors, services
from .forms import PeopleSearchForm, ReasonForm, RoleChoiceForm, RoleGrantForm

PER_PAGE = 25


def role_labels() -> dict[str, str]:
    return {kind.key: kind.label for kind in all_roles()}


class PeopleStaffMixin(PermissionRequired404Mixin):
    permission_required = "people.manage_people"


class PersonMixin(PeopleStaffMixin):
    def get_person(self) -> User:
        if not hasattr(self, "_person"):
            try:
                self._person = selectors.person_get(self.kwargs["pk"])
            except User.DoesNotExist:
                raise Http404 from None
        return self._person

    def person_url(self) -> str:
        return reverse("people-staff:person-detail", args=[self.kwargs["pk"]])


def param(request, name: str) -> str:
    """What the page is about (the role, its scope): posted forms carry it in hidden fields, so
    a post held for re-authentication goes to the address without a query and is resumed."""
    return request.POST.get(name) or request.GET.get(name, "")


class FreshSignInMixin:
    """Changes to someone's account need a re-authentication within the last few minutes."""

    def dispatch(self, request, *args, **kwargs):
        raise_if_reauthentication_required(request, app="")
        return super().dispatch(request, *args, **kwargs)


class PersonListView(PeopleStaffMixin, ListView):
    template_name = "people/person_list.jinja"
    context_object_name = "people"
    paginate_by = PER_PAGE

    def get_queryset(self):
        self.form = PeopleSearchForm(self.request.GET or None)
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return selectors.people_search(
            text=data.get("q", ""), role=data.get("role", ""), status=data.get("status", "")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form=self.form,
            searched=self.form.is_bound,
            export_query=self.request.GET.urlencode(),
            role_labels=role_labels(),
            **kwargs,
        )


ACCOUNTS_HEADER = [
    "Name",
    "Called",
    "Email",
    "Account",
    "Roles",
    "Two-factor authentication",
    "Joined the site",
    "Last signed in",
]


class PersonExportView(PeopleStaffMixin, View):
    """The accounts the search shows, as a spreadsheet: who they are, their roles (by kind, not
    scope) and their account's state. Nothing an app holds about them (answers, messages)."""

    def get(self, request):
        form = PeopleSearchForm(request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        filters = {name: data.get(name, "") for name in ("q", "role", "status")}
        people = selectors.people_search(
            text=filters["q"], role=filters["role"], status=filters["status"]
        ).prefetch_related(None)
        export_record(
            actor=request.user,
            action="people.export_accounts",
            permission="people.manage_people",
            filters=filters,
            row_count=people.count(),
        )
        holders = selectors.role_holders()
        kinds = all_roles()

        def rows():
            for person in people.iterator(chunk_size=2000):
                yield [
                    person.full_name,
                    person.preferred_name,
                    person.email,
                    "Active" if person.is_active else "Suspended",
                    "; ".join(k.label for k in kinds if person.pk in holders[k.key]),
                    "Yes" if person.has_two_factor else "No",
                    uk_date(person.date_joined),
                    uk_datetime(person.last_login) if person.last_login else "Never",
                ]

        return csv_response(
            filename_parts=["accounts"], filters=filters, header=ACCOUNTS_HEADER, rows=rows()
        )


class PersonDetailView(PersonMixin, TemplateView):
    template_name = "people/person_detail.jinja"

    def get_context_data(self, **kwargs):
        person = self.get_person()
        entries = selectors.person_audit(person)
        labels = AuditLabels(values={"role": role_labels()}, people=audit_people(entries))
        return super().get_context_data(
            person=person,
            holdings=selectors.person_holdings(person),
            sections=selectors.person_sections(person),
            audit_rows=[(entry, describe_details(entry.data, labels)) for entry in entries],
            may_give_staff_roles=self.request.user.has_perm("people.give_staff_roles"),
            **kwargs,
        )


class RoleGrantView(PersonMixin, FreshSignInMixin, FormView):
    """Giving a role in two steps that work without JavaScript: which role (a GET form), then
    its scope and the reason."""

    template_name = "people/role_grant.jinja"

    def kinds(self):
        user = self.request.user
        return [
            kind
            for kind in all_roles()
            if not kind.staff_level or user.has_perm("people.give_staff_roles")
        ]

    def kind(self):
        key = param(self.request, "role")
        return next((kind for kind in self.kinds() if kind.key == key), None)

    def get_form(self, form_class=None):
        kind = self.kind()
        if kind is None:
            return None
        return RoleGrantForm(**self.get_form_kwargs(), kind=kind)

    def get_context_data(self, **kwargs):
        person = self.get_person()
        kind = self.kind()
        choice = RoleChoiceForm(self.request.GET or None, kinds=self.kinds())
        if "role" in self.request.GET and kind is None:
            choice.is_valid()
        return super().get_context_data(person=person, kind=kind, choice=choice, **kwargs)

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form is None:
            raise Http404
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)

    def form_valid(self, form):
        person = self.get_person()
        kind = self.kind()
        try:
            services.person_role_grant(
                actor=self.request.user,
                user=person,
                kind=kind,
                scope=form.cleaned_data.get("scope", ""),
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as error:
            form_add_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{person.get_full_name()} now has the role {kind.label}. We have emailed them.",
        )
        return redirect(self.person_url())


class RoleRevokeView(PersonMixin, FreshSignInMixin, FormView):
    template_name = "people/role_revoke.jinja"
    form_class = ReasonForm

    @cached_property
    def held(self):
        """The role the page is about, read once per request (404 when they do not hold it)."""
        key = param(self.request, "role")
        scope = param(self.request, "scope")
        for holding in selectors.person_holdings(self.get_person()):
            if holding.kind.key == key and holding.scope == scope:
                return holding
        raise Http404

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.get_person(), holding=self.held, **kwargs)

    def form_valid(self, form):
        person = self.get_person()
        holding = self.held
        try:
            services.person_role_revoke(
                actor=self.request.user,
                user=person,
                kind=holding.kind,
                scope=holding.scope,
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as error:
            form_add_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{person.get_full_name()} no longer has the role {holding.label}. "
            "We have emailed them.",
        )
        return redirect(self.person_url())


class AccountStatusView(PersonMixin, FreshSignInMixin, FormView):
    """Suspend (`action` "suspend") or reinstate an account, on a page that says what it does."""

    template_name = "people/account_status.jinja"
    form_class = ReasonForm
    action = ""

    def get_context_data(self, **kwargs):
        person = self.get_person()
        if person.deleted_at is not None:
            raise Http404
        return super().get_context_data(person=person, action=self.action, **kwargs)

    def form_valid(self, form):
        person = self.get_person()
        service = services.person_suspend if self.action == "suspend" else services.person_reinstate
        try:
            service(actor=self.request.user, user=person, reason=form.cleaned_data["reason"])
        except ServiceError as error:
            form_add_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{person.get_full_name()}'s account is suspended: they are signed out everywhere "
            "and cannot sign in. We have emailed them."
            if self.action == "suspend"
            else f"{person.get_full_name()} can sign in again. We have emailed them.",
        )
        return redirect(self.person_url())
