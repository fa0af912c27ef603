"""The registry's vocabulary: places, technologies, organisations, dossiers and their history."""

from .dossiers import Dossier, DossierStatus, Event, EventKind, Source, SourceKind
from .organisations import Organisation, OrganisationKind, OrganisationLink, Relation
from .places import Commune, Department, Region
from .revisions import Revision
from .technologies import Technology

__all__ = [
    "Commune",
    "Department",
    "Dossier",
    "DossierStatus",
    "Event",
    "EventKind",
    "Organisation",
    "OrganisationKind",
    "OrganisationLink",
    "Region",
    "Relation",
    "Revision",
    "Source",
    "SourceKind",
    "Technology",
]
