"""Administrators may look at every proposal; decisions go through the queue, never the admin."""

from django.contrib import admin

from .models import Proposal


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "__str__", "state", "created_at", "decided_by", "without_proof_of_work"]
    list_filter = ["kind", "state", "without_proof_of_work"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Proposal._meta.fields if f.name != "id"]

    def has_add_permission(self, request) -> bool:
        # Proposals come from the public form; the admin must not bypass its checks.
        return False
