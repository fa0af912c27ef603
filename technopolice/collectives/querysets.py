"""Questions people ask about collectives, named as such."""

from django.db import models


class CollectiveQuerySet(models.QuerySet):
    def listed(self):
        """Collectives a moderator accepted: the only ones anyone but their organisers sees."""
        return self.filter(status="listed")

    def active(self):
        return self.listed().filter(is_dormant=False)

    def covering_commune(self, commune):
        """Listed collectives that act in ``commune``: named for it, its parent city, or its department."""
        communes = [commune.pk] + ([commune.parent_id] if commune.parent_id else [])
        return self.listed()._named(
            self.model.communes.through.objects.filter(commune__in=communes),
            self.model.departments.through.objects.filter(department=commune.department_id),
        )

    def covering_department(self, department):
        return self.listed()._named(
            self.model.departments.through.objects.filter(department=department),
            self.model.communes.through.objects.filter(commune__department=department),
        )

    def covering_region(self, region):
        return self.listed()._named(
            self.model.departments.through.objects.filter(department__region=region),
            self.model.communes.through.objects.filter(commune__department__region=region),
        )

    def _named(self, *links):
        """Those named by one of the place ``links`` (rows of the communes' or departments' table).

        One ``pk IN (UNION ALL)``: no duplicate, so no DISTINCT, and both databases run it from the
        places' indexes; the joins with DISTINCT read every collective's places (13 ms for a
        department's page with 5,000 collectives, 2 ms now)."""
        first, *others = [link.values("collective") for link in links]
        return self.filter(pk__in=first.union(*others, all=True))
