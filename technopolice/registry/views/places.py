"""Place pages: a commune, a department, a region, each with the dossiers that concern it.

A place page lists first the dossiers of the place itself (by the list's matching rule,
registry.filters), then separately those that cover it from above (its department, its
region, the whole country), so a town's own deployments are not drowned by national files.
"""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from ..filters import covers, in_commune, in_department, in_region
from ..models import Commune, Department, Region
from ..sections import WIDER_SECTION_SIZE, Section, filled, section


def wider_sections(commune: Commune) -> list[Section]:
    department = commune.department
    sections = []
    if commune.parent:
        sections.append(covering_section(commune.parent, covers("communes", commune=commune.parent)))
    sections.append(covering_section(department, covers("departments", department=department)))
    sections.append(covering_section(department.region, covers("regions", region=department.region)))
    return [*sections, national_section()]


def covering_section(place, condition: Q) -> Section:
    """The dossiers covering a page's place from above (``place``): shorter than the place's own
    section, its title a link to the place's page."""
    covering = section(place.name, condition, size=WIDER_SECTION_SIZE)
    covering.page_url = place.get_absolute_url()
    return covering


def national_section() -> Section:
    return section(_("Whole country"), Q(is_national=True), size=WIDER_SECTION_SIZE)


@require_safe
def commune_detail(request, slug):
    commune = get_object_or_404(Commune.objects.select_related("department__region", "parent"), slug=slug)
    own, *wider = filled(
        section(_("Dossiers of this commune"), in_commune(commune), {"commune": commune.slug}),
        *wider_sections(commune),
    )
    context = {
        "commune": commune,
        # Sorted here: asked to sort, SQLite read the whole INSEE index rather than the parent's few rows.
        "arrondissements": sorted(commune.arrondissements.all(), key=lambda a: a.insee),
        "own": own,
        "wider": wider,
    }
    return render(request, "registry/commune.html", context)


@require_safe
def department_detail(request, slug):
    department = get_object_or_404(Department.objects.select_related("region"), slug=slug)
    communes = (
        Commune.objects.filter(department=department)
        .annotate(n=Count("dossiers"))
        .filter(n__gt=0)
        .order_by("-n", "name")[:50]
    )
    own, *wider = filled(
        section(_("Dossiers of this department"), in_department(department), {"department": department.slug}),
        covering_section(department.region, covers("regions", region=department.region)),
        national_section(),
    )
    context = {"department": department, "communes": communes, "own": own, "wider": wider}
    return render(request, "registry/department.html", context)


@require_safe
def region_detail(request, slug):
    region = get_object_or_404(Region, slug=slug)
    departments = region.departments.order_by("code")
    own, *wider = filled(
        section(_("Dossiers of this region"), in_region(region), {"region": region.slug}),
        national_section(),
    )
    context = {"region": region, "departments": departments, "own": own, "wider": wider}
    return render(request, "registry/region.html", context)
