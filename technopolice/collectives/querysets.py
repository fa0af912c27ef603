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
        return (
            self.listed()
            .filter(models.Q(communes__in=communes) | models.Q(departments=commune.department_id))
            .distinct()
        )

    def covering_department(self, department):
        return (
            self.listed()
            .filter(models.Q(departments=department) | models.Q(communes__department=department))
            .distinct()
        )

    def covering_region(self, region):
        return (
            self.listed()
            .filter(models.Q(departments__region=region) | models.Q(communes__department__region=region))
            .distinct()
        )
