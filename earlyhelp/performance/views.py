"""The performance framework's pages: the dashboard for the service, a team, a worker or an
area, for any period (filters kept in the address), and each KPI's own page with its written
definition, its breakdowns and the records behind it.

Who sees what: anyone with aggregate figures (team leaders, the head of service, analysts,
administrators) sees every figure. The records behind a figure are listed by reference; a family's
name is added only for a viewer who may open that family's record (never an analyst), and each
named family listed is recorded in the audit trail."""

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from earlyhelp.audit.trail import record_listed
from earlyhelp.casework.access import episodes_visible_to
from earlyhelp.casework.caseloads import users_granted
from earlyhelp.core.numbers import record_id
from earlyhelp.forums.reports import bars
from earlyhelp.frontdoor.models import Contact
from earlyhelp.organisations.models import Area, Team, User, user_of
from earlyhelp.organisations.roles import Permission
from earlyhelp.people.access import families_visible_to
from earlyhelp.performance import exports
from earlyhelp.performance import supporting_families as sf_evidence
from earlyhelp.performance.definitions import BY_SLUG, Group, Kpi
from earlyhelp.performance.forms import DashboardFiltersForm, year_to
from earlyhelp.performance.measures import Behind, Breakdown, Figure, Measures, Period, Scope
from earlyhelp.performance.models import Target
from earlyhelp.performance.partner_agencies import agency_figures

RECORDS_PER_PAGE = 50


def _sees_figures(user: User) -> bool:
    return user.can(Permission.VIEW_AGGREGATE_FIGURES)


def _sees_names(user: User) -> bool:
    """Names beside the figures: only for those who may open families' records anyway."""
    return user.can(Permission.VIEW_AUTHORITY_RECORDS)


def _filters(request: HttpRequest, user: User) -> tuple[DashboardFiltersForm, Period, Scope]:
    teams = Team.objects.filter(area__authority_id=user.authority_id, kind=Team.Kind.FAMILY_SUPPORT).order_by("name")
    coaches = users_granted(Permission.HOLD_CASELOAD).filter(authority_id=user.authority_id).order_by("full_name")
    areas = Area.objects.filter(authority_id=user.authority_id).order_by("name")
    asked = {key: value for key, value in request.GET.items() if key not in ("format", "page", "list")}
    form = DashboardFiltersForm(asked or None, teams=teams, coaches=coaches, areas=areas)
    since, until = year_to(timezone.localdate())
    scope = Scope(authority_id=user.authority_id)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        since = data.get("since") or (year_to(data["until"])[0] if data.get("until") else since)
        until = data.get("until") or (max(until, since))
        scope = Scope(
            authority_id=user.authority_id,
            team_id=data["team"].pk if data.get("team") else None,
            coach_id=data["coach"].pk if data.get("coach") else None,
            area_id=data["area"].pk if data.get("area") else None,
        )
    return form, Period(since=since, until=until), scope


def _measures(user: User, period: Period, scope: Scope) -> Measures:
    measures = Measures(user.authority, period, scope)
    measures.targets = dict(Target.objects.filter(authority_id=user.authority_id).values_list("kpi", "target"))
    return measures


def _scope_words(form: DashboardFiltersForm, scope: Scope) -> str:
    if not (form.is_bound and form.is_valid()):
        return "the whole service"
    parts = [str(form.cleaned_data[name]) for name in ("team", "coach", "area") if form.cleaned_data.get(name)]
    return ", ".join(parts) if parts else "the whole service"


def _file(content: bytes, name: str, kind: str) -> HttpResponse:
    types = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    response = HttpResponse(content, content_type=types[kind])
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


def _headline_rows(figures: list[Figure], period: Period) -> list[list[Any]]:
    return [
        [
            figure.kpi.title,
            figure.value,
            figure.kpi.unit.value,
            figure.numerator,
            figure.denominator,
            figure.target,
            {True: "On target", False: "Below target", None: ""}[figure.met],
            period.since,
            period.until,
        ]
        for figure in figures
    ]


HEADLINE_HEADINGS = ("KPI", "Figure", "Unit", "Counted", "Out of", "Target", "Against target", "From", "To")


@require_http_methods(["GET"])
def dashboard(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not _sees_figures(user):
        raise Http404("No such page")
    form, period, scope = _filters(request, user)
    measures = _measures(user, period, scope)
    figures = measures.every_figure()
    wanted = request.GET.get("format")
    if wanted in ("csv", "xlsx"):
        tables: list[exports.Table] = [("KPIs", HEADLINE_HEADINGS, _headline_rows(figures, period))]
        contacts, closures = measures.figure("contacts_received"), measures.figure("open_and_closed")
        tables.append(("Contacts received each month", ("Month", "Contacts"), contacts.trend))
        tables.extend((b.title, ("Month", "Episodes"), b.rows) for b in closures.breakdowns)
        maker = exports.as_csv if wanted == "csv" else exports.as_xlsx
        return _file(maker(tables), f"early-help-kpis-{period.since}-to-{period.until}", wanted)
    groups = [(group, [figure for figure in figures if figure.kpi.group == group]) for group in Group]
    contacts = measures.figure("contacts_received")
    closures = measures.figure("open_and_closed")
    return render(
        request,
        "performance/dashboard.html",
        {
            "form": form,
            "period": period,
            "scope_words": _scope_words(form, scope),
            "groups": groups,
            "contacts_trend": Breakdown("Contacts received each month", contacts.trend),
            "contacts_chart": bars(contacts.trend),
            "closure_rows": [
                (label, opened, closed, still)
                for (label, opened), (_, closed), (_, still) in zip(*(b.rows for b in closures.breakdowns), strict=True)
            ],
            "closures_chart": bars(closures.trend),
            "query": _query_without(request, "format", "page", "list"),
        },
    )


def _query_without(request: HttpRequest, *names: str) -> str:
    kept = request.GET.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()


def _contact_behind(contact: Contact, kpi: Kpi) -> Behind:
    counted = getattr(contact, "known", None) if kpi.key == "repeat_referrals" else None
    return Behind(
        kind="contact",
        pk=contact.pk,
        reference=contact.reference,
        family_id=contact.family_id,
        when=timezone.localtime(contact.received_at).date(),
        category=contact.get_source_display(),
        counted=counted,
        measure=contact.get_status_display(),
    )


def _as_behind(items: Any, kpi: Kpi) -> list[Behind]:
    return [_contact_behind(item, kpi) if isinstance(item, Contact) else item for item in items]


def _named(user: User, rows: list[Behind], kpi: Kpi) -> dict[int, tuple[str, bool]]:
    """The families a viewer may see named, each with whether they may open its episode: one
    query for the families, one for the episodes, and one audit row for each family named."""
    if not _sees_names(user):
        return {}
    family_ids = {row.family_id for row in rows if row.family_id}
    families = list(families_visible_to(user).filter(pk__in=family_ids).only("pk", "name"))
    if families:
        record_listed(actor=user, shown=families, where=f"performance: {kpi.title}")
    episodes = {row.pk for row in rows if row.kind == "episode"}
    openable = (
        set(episodes_visible_to(user).filter(pk__in=episodes).values_list("pk", flat=True)) if episodes else set()
    )
    names = {family.pk: family.name for family in families}
    return {row.pk: (names[row.family_id], row.pk in openable) for row in rows if row.family_id in names}


def _with_names(rows: list[Behind], named: dict[int, tuple[str, bool]]) -> list[tuple[Behind, str, bool]]:
    """Each row with its family's name ("" when not to be shown) and whether it links to its episode."""
    shown = []
    for row in rows:
        name, openable = named.get(row.pk, ("", False))
        shown.append((row, name, openable and row.kind == "episode"))
    return shown


@require_http_methods(["GET"])
def kpi_page(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    kpi = BY_SLUG.get(slug)
    if kpi is None or not _sees_figures(user):
        raise Http404("No such page")
    form, period, scope = _filters(request, user)
    measures = _measures(user, period, scope)
    figure = measures.figure(kpi.key)
    behind = measures.behind(kpi.key)
    wanted = request.GET.get("format")
    if wanted in ("csv", "xlsx"):
        return _kpi_file(user, kpi, figure, behind, period, wanted, records=request.GET.get("list") == "records")
    paginator = Paginator(behind, RECORDS_PER_PAGE)
    page = paginator.get_page(record_id(request.GET.get("page")) or 1)
    rows = _as_behind(page.object_list, kpi)
    return render(
        request,
        "performance/kpi.html",
        {
            "kpi": kpi,
            "form": form,
            "period": period,
            "scope_words": _scope_words(form, scope),
            "figure": figure,
            "charts": [(breakdown, bars(breakdown.rows)) for breakdown in figure.breakdowns if breakdown.rows],
            "trend_chart": bars(figure.trend) if figure.trend else None,
            "page": page,
            "rows": _with_names(rows, _named(user, rows, kpi)),
            "sees_names": _sees_names(user),
            "query": _query_without(request, "format", "page", "list"),
        },
    )


def _kpi_file(
    user: User,
    kpi: Kpi,
    figure: Figure,
    behind: list[Behind] | QuerySet[Contact],
    period: Period,
    wanted: str,
    *,
    records: bool,
) -> HttpResponse:
    name = f"{kpi.slug}-{period.since}-to-{period.until}"
    tables: list[exports.Table]
    if records:
        rows = _as_behind(behind, kpi)
        named = _named(user, rows, kpi)
        headings = ["Reference", "Date", "Group", "Counted", "Measure"] + (["Family"] if _sees_names(user) else [])
        tables = [
            (
                f"Behind: {kpi.title}",
                headings,
                [
                    [
                        row.reference,
                        row.when,
                        row.category,
                        {True: "Yes", False: "No", None: ""}[row.counted],
                        row.measure,
                    ]
                    + ([named.get(row.pk, ("", False))[0]] if _sees_names(user) else [])
                    for row in rows
                ],
            )
        ]
        name += "-records"
    else:
        tables = [(kpi.title, HEADLINE_HEADINGS, _headline_rows([figure], period))]
        tables.extend((breakdown.title, ("", "Count"), breakdown.rows) for breakdown in figure.breakdowns)
        if figure.trend:
            tables.append((figure.trend_title or "Each month", ("Month", "Count"), figure.trend))
    maker = exports.as_csv if wanted == "csv" else exports.as_xlsx
    return _file(maker(tables), name, wanted)


@require_http_methods(["GET"])
def supporting_families(request: HttpRequest) -> HttpResponse:
    """The Supporting Families evidence, family by family, and the quarterly summary."""
    user = user_of(request)
    if not _sees_figures(user):
        raise Http404("No such page")
    form, period, _ = _filters(request, user)
    families = sf_evidence.evidence_for(user.authority, period)
    quarters = sf_evidence.quarterly(families)
    named: dict[int, str] = {}
    if _sees_names(user):
        shown = list(
            families_visible_to(user).filter(pk__in={family.family_id for family in families}).only("pk", "name")
        )
        if shown:
            record_listed(actor=user, shown=shown, where="performance: Supporting Families evidence")
        named = {family.pk: family.name for family in shown}
    yes_no = {True: "Yes", False: "No"}
    rows = [
        [
            family.reference,
            *([named.get(family.family_id, "")] if _sees_names(user) else []),
            family.closed_on,
            family.checked_on,
            family.evidence.needs,
            yes_no[family.evidence.lead_practitioner],
            yes_no[family.evidence.whole_family_assessment],
            yes_no[family.evidence.plan],
            yes_no[family.evidence.sustained],
            yes_no[family.evidence.claimable],
        ]
        for family in families
    ]
    headings = [
        "Reference",
        *(["Family"] if _sees_names(user) else []),
        "Closed",
        "Checked",
        "Outcomes coded",
        "Lead practitioner",
        "Whole-family assessment",
        "Plan",
        "Outcomes sustained",
        "Claimable",
    ]
    summary = [[q.quarter, q.checked, q.claimable, q.not_sustained] for q in quarters]
    summary_headings = ["Quarter", "Families checked", "Claimable", "Outcomes not sustained"]
    wanted = request.GET.get("format")
    if wanted in ("csv", "xlsx"):
        maker = exports.as_csv if wanted == "csv" else exports.as_xlsx
        tables: list[exports.Table] = [
            ("Supporting Families evidence", headings, rows),
            ("Quarterly summary", summary_headings, summary),
        ]
        return _file(maker(tables), f"supporting-families-{period.since}-to-{period.until}", wanted)
    return render(
        request,
        "performance/supporting_families.html",
        {
            "form": form,
            "period": period,
            "headings": headings,
            "rows": rows,
            "summary": summary,
            "summary_headings": summary_headings,
            "sees_names": _sees_names(user),
            "query": _query_without(request, "format", "page", "list"),
        },
    )


@require_http_methods(["GET"])
def partner_agencies(request: HttpRequest) -> HttpResponse:
    """Each partner agency's early help measures against its own targets (`002`)."""
    user = user_of(request)
    if not _sees_figures(user):
        raise Http404("No such page")
    form, period, _ = _filters(request, user)
    figures = agency_figures(user.authority, period)
    wanted = request.GET.get("format")
    if wanted in ("csv", "xlsx"):
        rows = [
            [f.agency.name, m.label, m.value, m.counted, m.target, {True: "Met", False: "Not met", None: ""}[m.met]]
            for f in figures
            for m in f.measures
        ]
        headings = ["Agency", "Measure", "Figure", "Counted", "Target", "Against target"]
        maker = exports.as_csv if wanted == "csv" else exports.as_xlsx
        return _file(
            maker([("Partner agencies", headings, rows)]), f"partner-agencies-{period.since}-to-{period.until}", wanted
        )
    return render(
        request,
        "performance/partner_agencies.html",
        {
            "form": form,
            "period": period,
            "figures": figures,
            "query": _query_without(request, "format", "page", "list"),
        },
    )
