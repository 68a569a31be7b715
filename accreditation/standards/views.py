"""Coordinators' pages for the Quality Mark standards: the standards and their versions, a
version's page, editing a draft's domains, criteria and levels, the preview as a provider will
see it, publishing after a confirmation page, and the CSV and JSON downloads. A form validates,
a service acts, and a `StandardsError` becomes a form error or a message."""

import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView, View

from qcommunity.core.attention import STAFF_HOME_PERMISSION
from qcommunity.core.errors import form_add_error
from qcommunity.core.exports import csv_response, export_filename, export_record
from qcommunity.core.permissions import PermissionRequired404Mixin

from . import services
from .enums import DraftSource
from .files import CSV_HEADER, version_csv_rows, version_document
from .forms import CriterionForm, DomainForm, DraftForm, LevelForm, PublishForm, StandardForm
from .models import Criterion, Domain, Level
from .selectors import (
    standard_get,
    standard_list,
    version_current,
    version_get,
    version_outline,
)
from .services import StandardsError, version_problems

PERMISSION = "accreditation.manage_standards"


class StandardsMixin(PermissionRequired404Mixin):
    permission_required = PERMISSION

    def get_version(self):
        return version_get(self.kwargs["slug"], self.kwargs["number"])


def _version_url(version) -> str:
    return reverse(
        "accreditation-staff:version-detail",
        kwargs={"slug": version.standard.slug, "number": version.number},
    )


class StandardListView(StandardsMixin, TemplateView):
    template_name = "accreditation/standards/standard_list.jinja"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            standards=list(standard_list()),
            staff_home=self.request.user.has_perm(STAFF_HOME_PERMISSION),
            **kwargs,
        )


class StandardCreateView(StandardsMixin, TemplateView):
    template_name = "accreditation/standards/standard_form.jinja"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", StandardForm())
        return super().get_context_data(standard=None, **kwargs)

    def post(self, request):
        form = StandardForm(request.POST)
        if form.is_valid():
            try:
                standard = services.standard_create(actor=request.user, **form.cleaned_data)
            except StandardsError as error:
                form_add_error(form, error)
            else:
                messages.success(
                    request, f"{standard.name} has been added. Draft its first version."
                )
                return redirect("accreditation-staff:standard-detail", standard.slug)
        return self.render_to_response(self.get_context_data(form=form))


class StandardDetailView(StandardsMixin, TemplateView):
    """The standard's targets and its versions; changing the name, description and targets."""

    template_name = "accreditation/standards/standard_detail.jinja"

    def get_context_data(self, **kwargs):
        standard = kwargs.pop("standard", None) or standard_get(self.kwargs["slug"])
        kwargs.setdefault(
            "form",
            StandardForm(
                editing=True,
                initial={
                    "name": standard.name,
                    "description": standard.description,
                    "screening_target_working_days": standard.screening_target_working_days,
                    "decision_target_days": standard.decision_target_days,
                },
            ),
        )
        versions = list(standard.versions.all())
        return super().get_context_data(
            standard=standard,
            versions=versions,
            has_draft=any(v.is_draft for v in versions),
            can_import=self.request.user.has_perm("imports.manage_imports"),
            **kwargs,
        )

    def post(self, request, slug):
        standard = standard_get(slug)
        form = StandardForm(request.POST, editing=True)
        if form.is_valid():
            try:
                services.standard_update(actor=request.user, standard=standard, **form.cleaned_data)
            except StandardsError as error:
                form_add_error(form, error)
            else:
                messages.success(request, "Your changes have been saved")
                return redirect("accreditation-staff:standard-detail", standard.slug)
        return self.render_to_response(self.get_context_data(form=form, standard=standard))


class VersionDraftView(StandardsMixin, TemplateView):
    template_name = "accreditation/standards/version_draft.jinja"

    def get_context_data(self, **kwargs):
        standard = standard_get(self.kwargs["slug"])
        current = version_current(standard)
        kwargs.setdefault(
            "form",
            DraftForm(initial={"source": DraftSource.CURRENT if current else DraftSource.EMPTY}),
        )
        return super().get_context_data(standard=standard, current=current, **kwargs)

    def post(self, request, slug):
        standard = standard_get(slug)
        form = DraftForm(request.POST)
        if form.is_valid():
            try:
                version = services.version_draft(
                    actor=request.user,
                    standard=standard,
                    copy_current=form.cleaned_data["source"] == DraftSource.CURRENT,
                )
            except StandardsError as error:
                form_add_error(form, error, fields={"source": "source"})
            else:
                messages.success(
                    request,
                    f"Version {version.number} is a draft. Only coordinators see it until it is "
                    "published.",
                )
                return redirect(_version_url(version))
        return self.render_to_response(self.get_context_data(form=form))


class VersionDetailView(StandardsMixin, TemplateView):
    template_name = "accreditation/standards/version_detail.jinja"

    def get_context_data(self, **kwargs):
        version = self.get_version()
        return super().get_context_data(
            version=version,
            standard=version.standard,
            outline=version_outline(version),
            levels=list(version.levels.all()),
            problems=version_problems(version) if version.is_draft else [],
            **kwargs,
        )


class VersionPreviewView(StandardsMixin, TemplateView):
    """The version as a provider will see it when self-assessing: no codes to edit, no buttons."""

    template_name = "accreditation/standards/version_preview.jinja"

    def get_context_data(self, **kwargs):
        version = self.get_version()
        return super().get_context_data(
            version=version,
            standard=version.standard,
            outline=version_outline(version),
            levels=list(version.levels.all()),
            **kwargs,
        )


class VersionPublishView(StandardsMixin, TemplateView):
    """Asks for the change summary and confirmation (GET), publishes on POST."""

    template_name = "accreditation/standards/version_publish.jinja"

    def get_context_data(self, **kwargs):
        version = kwargs.pop("version", None) or self.get_version()
        kwargs.setdefault("form", PublishForm())
        criteria = list(version.criteria.all())
        return super().get_context_data(
            version=version,
            standard=version.standard,
            problems=version_problems(version) if version.is_draft else [],
            counts={
                "domains": len(version.domains.all()),
                "criteria": len(criteria),
                "minimum": sum(1 for c in criteria if c.is_minimum),
                "levels": len(version.levels.all()),
            },
            **kwargs,
        )

    def post(self, request, slug, number):
        version = self.get_version()
        form = PublishForm(request.POST)
        if form.is_valid():
            try:
                services.version_publish(
                    actor=request.user,
                    version=version,
                    change_summary=form.cleaned_data["change_summary"],
                )
            except StandardsError as error:
                form_add_error(form, error)
            else:
                messages.success(
                    request,
                    f"Version {version.number} is published. New cases use it from now on.",
                )
                return redirect(_version_url(version))
        return self.render_to_response(self.get_context_data(form=form, version=version))


class VersionDiscardView(StandardsMixin, TemplateView):
    template_name = "accreditation/standards/version_discard.jinja"

    def get_context_data(self, **kwargs):
        version = self.get_version()
        return super().get_context_data(version=version, standard=version.standard, **kwargs)

    def post(self, request, slug, number):
        version = self.get_version()
        try:
            services.version_discard(actor=request.user, version=version)
        except StandardsError as error:
            messages.error(request, str(error))
            return redirect(_version_url(version))
        messages.success(request, f"The draft of version {version.number} has been deleted.")
        return redirect("accreditation-staff:standard-detail", slug)


class VersionExportCsvView(StandardsMixin, View):
    def get(self, request, slug, number):
        version = self.get_version()
        rows = version_csv_rows(version)
        export_record(
            actor=request.user,
            action="standard_version.export_csv",
            permission=PERMISSION,
            filters={},
            row_count=len(rows),
            target=version,
        )
        return csv_response(
            filename_parts=[version.standard.slug, "version", str(version.number)],
            filters={},
            header=CSV_HEADER,
            rows=rows,
        )


class VersionExportJsonView(StandardsMixin, View):
    def get(self, request, slug, number):
        version = self.get_version()
        document = version_document(version)
        export_record(
            actor=request.user,
            action="standard_version.export_json",
            permission=PERMISSION,
            filters={},
            row_count=len(version.criteria.all()),
            target=version,
        )
        name = export_filename([version.standard.slug, "version", str(version.number)])
        response = HttpResponse(
            json.dumps(document, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        response["Cache-Control"] = "no-store"
        return response


# A draft's domains, criteria and levels ------------------------------------------------------

PARTS = {
    "domain": {
        "model": Domain,
        "form": DomainForm,
        "noun": "domain",
        "fields": ("code", "title"),
    },
    "criterion": {
        "model": Criterion,
        "form": CriterionForm,
        "noun": "criterion",
        "fields": (
            "domain",
            "code",
            "text",
            "guidance",
            "evidence_examples",
            "is_minimum",
            "scopes",
        ),
    },
    "level": {
        "model": Level,
        "form": LevelForm,
        "noun": "level",
        "fields": ("name", "description", "minimum_only"),
    },
}


def _form(part: str, version, *args, **kwargs):
    form_class = PARTS[part]["form"]
    if form_class is CriterionForm:
        kwargs["version"] = version
    return form_class(*args, **kwargs)


class PartFormView(StandardsMixin, TemplateView):
    """Adding (no `pk`) or changing (`pk`) a domain, criterion or level of a draft."""

    template_name = "accreditation/standards/part_form.jinja"
    part = ""

    def get_part(self, version):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(PARTS[self.part]["model"], version=version, pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        version = self.get_version()
        if not version.is_draft:
            messages.error(request, services.PUBLISHED_MESSAGE.format(number=version.number))
            return redirect(_version_url(version))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        version = kwargs.pop("version", None) or self.get_version()
        obj = kwargs.pop("obj", None) or self.get_part(version)
        if "form" not in kwargs:
            initial = {}
            if obj is not None:
                initial = {name: getattr(obj, name) for name in PARTS[self.part]["fields"]}
            kwargs["form"] = _form(self.part, version, initial=initial)
        return super().get_context_data(
            version=version,
            standard=version.standard,
            obj=obj,
            noun=PARTS[self.part]["noun"],
            part=self.part,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        version = self.get_version()
        obj = self.get_part(version)
        form = _form(self.part, version, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if obj is None:
                    getattr(services, f"{self.part}_add")(
                        actor=request.user, version=version, **data
                    )
                else:
                    getattr(services, f"{self.part}_update")(
                        actor=request.user, **{self.part: obj}, **data
                    )
            except StandardsError as error:
                form_add_error(form, error)
            else:
                noun = PARTS[self.part]["noun"].capitalize()
                messages.success(request, f"{noun} {'added' if obj is None else 'saved'}")
                return redirect(_version_url(version))
        return self.render_to_response(self.get_context_data(form=form, version=version, obj=obj))


class PartRemoveView(StandardsMixin, TemplateView):
    """Asks first (GET), removes on POST."""

    template_name = "accreditation/standards/part_remove.jinja"
    part = ""

    def get_context_data(self, **kwargs):
        version = self.get_version()
        obj = get_object_or_404(PARTS[self.part]["model"], version=version, pk=self.kwargs["pk"])
        return super().get_context_data(
            version=version,
            standard=version.standard,
            obj=obj,
            noun=PARTS[self.part]["noun"],
            criteria_count=obj.criteria.count() if self.part == "domain" else 0,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        version = self.get_version()
        obj = get_object_or_404(PARTS[self.part]["model"], version=version, pk=self.kwargs["pk"])
        try:
            result = getattr(services, f"{self.part}_remove")(
                actor=request.user, **{self.part: obj}
            )
        except StandardsError as error:
            messages.error(request, str(error))
            return redirect(_version_url(version))
        text = f"{PARTS[self.part]['noun'].capitalize()} removed"
        if self.part == "domain" and result:
            text += (
                f". {result} criteria now have no domain: give each one a domain before you publish"
            )
        messages.success(request, text)
        return redirect(_version_url(version))


class PartMoveView(StandardsMixin, View):
    """Moves a domain, criterion or level up or down (a form per button; works without
    JavaScript)."""

    def post(self, request, slug, number):
        version = self.get_version()
        part = request.POST.get("part")
        if part not in PARTS:
            raise Http404
        try:
            pk = int(request.POST.get("pk", ""))
        except ValueError:
            raise Http404 from None
        obj = get_object_or_404(PARTS[part]["model"], version=version, pk=pk)
        try:
            services.part_move(
                actor=request.user, part=obj, up=request.POST.get("direction") == "up"
            )
        except StandardsError as error:
            messages.error(request, str(error))
        return redirect(f"{_version_url(version)}#{part}-{obj.pk}")
