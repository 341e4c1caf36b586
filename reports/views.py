"""Report pages: the list with every issued version, building a report section by
section, the preview, issuing, downloading an issued PDF or Word document, and the
partnership's Word template."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedRequest
from cspportal.lib.downloads import attachment
from cspportal.lib.formats import uk_clock, uk_date
from cspportal.lib.versioning import ChangeSince, EditConflict, VersionedEdit, refuse_stale
from partnerships.models import Role
from partnerships.selectors import partnership_access
from reports import selectors, services
from reports.assembly import assemble_report, gather_report_data
from reports.chart_export import get_exporter
from reports.drafts import section_drafts
from reports.forms import ReportForm, SectionAddForm, SectionForm, VersionForm, WordTemplateForm
from reports.pdf import draw_charts, render_report_pdf
from reports.word import DOCX_CONTENT_TYPE, render_report_docx


def _detail_url(slug: str, report) -> str:
    return reverse("reports:report_detail", args=[slug, report.pk])


def _refused(conflict: EditConflict) -> str:
    """Why a button on the report page did nothing."""
    return (
        conflict.sentence("nothing was changed")
        + " The page now shows their changes: check them, then try again."
    )


def _posted_version(request: HttpRequest) -> int:
    form = VersionForm(request.POST)
    if not form.is_valid():
        raise Http404("The form is missing the report version.")
    return form.cleaned_data["version"]


@login_required
@require_GET
def report_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    access = partnership_access(request.user, slug)
    reports = selectors.reports_for_partnership(access.partnership)
    return render(
        request,
        "reports/report_list.html",
        {"access": access, "partnership": access.partnership, "reports": reports},
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.EDITOR)
    form = ReportForm(
        request.POST or None,
        partnership=access.partnership,
        initial=selectors.default_report_period(access.partnership),
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        report = services.report_create(
            partnership=access.partnership, created_by=request.user, **data
        )
        messages.success(
            request, "Report created. Each section starts with a draft written from the figures."
        )
        return redirect(_detail_url(slug, report))
    return render(
        request,
        "reports/form.html",
        {
            "access": access,
            "partnership": access.partnership,
            "form": form,
            "title": "Create a report",
            "back_url": reverse("reports:report_list", args=[slug]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.EDITOR)
    report = selectors.report_for(access.partnership, pk)
    form = ReportForm(request.POST or None, instance=report, partnership=access.partnership)

    def save(version: int) -> None:
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        services.report_update(report=report, version=version, **data)

    edit = VersionedEdit(
        form,
        changes_since=lambda conflict: selectors.report_changes_since(
            report, conflict.started_from
        ),
    )
    if request.method == "POST" and edit.save(save):
        messages.success(request, "Report details saved.")
        return redirect(_detail_url(slug, report))
    return render(
        request,
        "reports/form.html",
        {
            "access": access,
            "partnership": access.partnership,
            "form": form,
            "title": "Change the report details",
            "changes": edit.changes,
            "report": report,
            "back_url": _detail_url(slug, report),
        },
    )


@login_required
@require_GET
def report_detail(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = partnership_access(request.user, slug)
    report = selectors.report_with_sections(access.partnership, pk)
    return render(
        request,
        "reports/report_detail.html",
        {
            "access": access,
            "partnership": access.partnership,
            "report": report,
            "sections": list(report.sections.all()),
            "versions": list(report.versions.all()),
            "job": selectors.issue_job(report),
        },
    )


@login_required
@require_GET
def report_progress(request: AuthenticatedRequest, slug: str, pk: int) -> JsonResponse:
    """What the background job is doing, for the progress script."""
    access = partnership_access(request.user, slug)
    report = selectors.report_for(access.partnership, pk)
    job = selectors.issue_job(report)
    return JsonResponse(
        {
            "running": report.job_running,
            "failed": report.job_failed,
            **(job.as_json() if job else {"message": report.job_message}),
        }
    )


@login_required
@require_GET
def report_draft_pdf(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """The report as it would print today, marked DRAFT on every page. Printed while
    the officer waits (a few seconds), and never stored."""
    access = partnership_access(request.user, slug, Role.EDITOR)
    report = selectors.report_for(access.partnership, pk)
    _, rendered = render_report_pdf(report, version_label=_draft_label(), draft=True)
    response = HttpResponse(rendered.content, content_type="application/pdf")
    response["Content-Disposition"] = attachment(
        f"{access.partnership.slug}-report-{report.pk}-draft.pdf"
    )
    response["Cache-Control"] = "no-store"
    return response


def _draft_label() -> str:
    printed = timezone.localtime()
    return f"Draft printed {uk_date(printed.date())} at {uk_clock(printed.time())}"


@login_required
@require_GET
def report_draft_docx(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """The report as a Word document from today's figures, in the partnership's Word
    template, marked DRAFT; built while the officer waits, and never stored."""
    access = partnership_access(request.user, slug, Role.EDITOR)
    report = selectors.report_for(access.partnership, pk)
    _, rendered = render_report_docx(
        report,
        version_label=_draft_label(),
        draft=True,
        template=selectors.word_template_bytes(access.partnership),
    )
    response = HttpResponse(rendered.content, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment(
        f"{access.partnership.slug}-report-{report.pk}-draft.docx"
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def report_preview(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = partnership_access(request.user, slug)
    report = selectors.report_with_sections(access.partnership, pk)
    exporter = get_exporter()
    exporter.start_in_background()
    latest = report.versions.first()
    if latest is None:
        label = "Draft (not issued)"
    elif report.is_issued:
        label = f"Version {latest.number}, issued {uk_date(timezone.localdate(latest.issued_at))}"
    else:
        label = f"Draft of changes since version {latest.number}"
    document = assemble_report(report, version_label=label)
    draw_charts(document, exporter=exporter)
    return render(
        request,
        "reports/report_preview.html",
        {
            "access": access,
            "partnership": access.partnership,
            "report": report,
            "document": document,
            "latest_version": latest,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(
    request: AuthenticatedRequest, slug: str, pk: int, section_pk: int
) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.EDITOR)
    report = selectors.report_for(access.partnership, pk)
    section = selectors.section_for(report, section_pk)
    draft = section_drafts(report, gather_report_data(report)).get(section.key, "")
    initial = {
        "title": section.title,
        "included": "yes" if section.included else "no",
        "body": section.body if section.body_edited else draft,
        "version": section.version,
    }
    form = SectionForm(request.POST or None, initial=initial, key=section.key)

    def save(version: int) -> None:
        body = form.cleaned_data["body"]
        if body.strip() == draft.strip():
            body = ""  # unchanged: keep following the figures
        services.section_update(
            section=section,
            version=version,
            title=form.cleaned_data["title"],
            body=body,
            included=form.cleaned_data["included"],
        )

    edit = VersionedEdit(form)
    if request.method == "POST" and edit.save(save):
        messages.success(request, f"Section saved: {section.title}.")
        return redirect(_detail_url(slug, report) + f"#section-{section.pk}")
    return render(
        request,
        "reports/section_form.html",
        {
            "access": access,
            "partnership": access.partnership,
            "report": report,
            "section": section,
            "draft": draft,
            "form": form,
            "title": f"Edit section: {section.title}",
            "changes": edit.changes,
            "back_url": _detail_url(slug, report),
        },
    )


@login_required
@require_POST
def section_use_draft(
    request: AuthenticatedRequest, slug: str, pk: int, section_pk: int
) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.EDITOR)
    report = selectors.report_for(access.partnership, pk)
    section = selectors.section_for(report, section_pk)
    try:
        services.section_use_draft(section=section, version=_posted_version(request))
    except EditConflict as conflict:
        messages.error(request, _refused(conflict))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{section.title}: back to the draft written from the figures.")
    return redirect(_detail_url(slug, report) + f"#section-{section.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def section_add(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.EDITOR)
    report = selectors.report_for(access.partnership, pk)
    form = SectionAddForm(request.POST or None, initial={"version": report.version})
    changes: list[ChangeSince] = []
    if request.method == "POST" and form.is_valid():
        try:
            section = services.section_add(
                report=report,
                version=form.cleaned_data["version"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except EditConflict as conflict:
            changes = refuse_stale(
                form, conflict, selectors.report_changes_since(report, conflict.started_from)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Section added: {section.title}.")
            return redirect(_detail_url(slug, report) + f"#section-{section.pk}")
    return render(
        request,
        "reports/form.html",
        {
            "access": access,
            "partnership": access.partnership,
            "report": report,
            "form": form,
            "title": "Add a section",
            "changes": changes,
            "back_url": _detail_url(slug, report),
        },
    )


@login_required
@require_POST
def section_move(
    request: AuthenticatedRequest, slug: str, pk: int, section_pk: int
) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.EDITOR)
    report = selectors.report_for(access.partnership, pk)
    section = selectors.section_for(report, section_pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        raise Http404("Move a section up or down.")
    try:
        version = _posted_version(request)
        services.section_move(section=section, version=version, direction=direction)
    except EditConflict as conflict:
        messages.error(request, _refused(conflict))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_detail_url(slug, report) + f"#section-{section.pk}")


@login_required
@require_POST
def section_delete(
    request: AuthenticatedRequest, slug: str, pk: int, section_pk: int
) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.EDITOR)
    report = selectors.report_for(access.partnership, pk)
    section = selectors.section_for(report, section_pk)
    try:
        services.section_delete(section=section, version=_posted_version(request))
    except EditConflict as conflict:
        messages.error(request, _refused(conflict))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Section removed: {section.title}.")
    return redirect(_detail_url(slug, report))


@login_required
@require_http_methods(["GET", "POST"])
def report_issue(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """Asks first (issuing freezes a version for good), then queues the issue."""
    access = partnership_access(request.user, slug, Role.EDITOR)
    report = selectors.report_with_sections(access.partnership, pk)
    if report.job_running:
        messages.info(request, "This report is already being issued.")
        return redirect(_detail_url(slug, report))
    if request.method == "GET":
        versions = list(report.versions.all())
        sections = list(report.sections.all())
        return render(
            request,
            "reports/report_issue_confirm.html",
            {
                "access": access,
                "partnership": access.partnership,
                "report": report,
                "number": len(versions) + 1,
                "versions": versions,
                "sections": sections,
                "included": sum(1 for section in sections if section.included),
            },
        )
    try:
        services.report_issue_enqueue(
            report=report, issued_by=request.user, version=_posted_version(request)
        )
    except EditConflict as conflict:
        messages.error(request, _refused(conflict))
        return redirect(_detail_url(slug, report))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_detail_url(slug, report))
    report.refresh_from_db()
    if report.is_issued and not report.job_running:
        version = report.versions.order_by("-number").first()
        assert version is not None  # an issued report has its versions
        messages.success(request, f"Version {version.number} issued.")
    elif report.job_failed:
        messages.error(request, report.job_message)
    # Otherwise the report's page shows the job's progress.
    return redirect(_detail_url(slug, report))


@login_required
@require_POST
def report_issue_cancel(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.EDITOR)
    report = selectors.report_for(access.partnership, pk)
    try:
        services.report_issue_cancel(report=report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Issuing cancelled. Nothing was issued.")
    return redirect(_detail_url(slug, report))


@login_required
@require_GET
def version_download(
    request: AuthenticatedRequest, slug: str, pk: int, number: int
) -> HttpResponse:
    """The PDF exactly as issued, byte for byte."""
    access = partnership_access(request.user, slug)
    report = selectors.report_for(access.partnership, pk)
    version = selectors.version_for(report, number)
    response = HttpResponse(services.version_pdf_bytes(version), content_type="application/pdf")
    response["Content-Disposition"] = attachment(version.file_name)
    response["ETag"] = f'"{version.checksum}"'
    return response


@login_required
@require_GET
def version_docx_download(
    request: AuthenticatedRequest, slug: str, pk: int, number: int
) -> HttpResponse:
    """The Word document stored when the version was issued, byte for byte. A version
    issued before Word documents were stored has none (it is never rebuilt)."""
    access = partnership_access(request.user, slug)
    report = selectors.report_for(access.partnership, pk)
    version = selectors.version_for(report, number)
    content = services.version_docx_bytes(version)
    if content is None:
        raise Http404("This version was issued before Word documents were kept.")
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment(version.docx_file_name)
    response["ETag"] = f'"{version.docx_checksum}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def word_template(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The partnership's Word template: what is uploaded, and a form for a new one."""
    access = partnership_access(request.user, slug, Role.MANAGER)
    posted = request.method == "POST"
    # Bound on every POST: a form posted with no file at all still says what is missing.
    form = WordTemplateForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        services.word_template_upload(
            partnership=access.partnership,
            uploaded_by=request.user,
            name=form.file_name,
            data=form.cleaned_data["template"],
        )
        messages.success(
            request, f"Word template uploaded: {form.file_name}. Word downloads now use it."
        )
        return redirect(reverse("reports:word_template", args=[slug]))
    return render(
        request,
        "reports/word_template.html",
        {
            "access": access,
            "partnership": access.partnership,
            "form": form,
            "template": selectors.word_template_for(access.partnership),
            "title": "Word template for reports",
            "back_url": reverse("reports:report_list", args=[slug]),
        },
    )


@login_required
@require_POST
def word_template_remove(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.MANAGER)
    if services.word_template_remove(partnership=access.partnership):
        messages.success(request, "Word template removed. Word downloads use the plain layout.")
    else:
        messages.info(request, "There was no Word template to remove.")
    return redirect(reverse("reports:word_template", args=[slug]))
