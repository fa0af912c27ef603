from django.urls import path, register_converter

from .views import browse, catalogue, contribute, history, places, records


class FormatConverter:
    """The twin of a list: ``dossiers.json`` or ``dossiers.csv``."""

    regex = "json|csv"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "fmt")


def with_twins(route: str, view, name: str) -> list:
    """A list page at ``route/`` and its twins at ``route.json`` and ``route.csv`` (name + "_data")."""
    return [path(f"{route}/", view, name=name), path(f"{route}.<fmt:fmt>", view, name=f"{name}_data")]


app_name = "registry"
urlpatterns = [
    *with_twins("dossiers", browse.dossier_list, "dossier_list"),
    # Contribution (anyone) and moderation of dossier proposals: before dossiers/<slug>/.
    path("proposer/", contribute.propose, name="dossier_propose"),
    path("proposer/envoye/", contribute.proposal_sent, name="proposal_sent"),
    path("dossiers/<slug:slug>/proposer/", contribute.propose_edit, name="dossier_propose_edit"),
    path("dossiers/propositions/<int:pk>/modifier/", contribute.moderate_edit, name="proposal_edit"),
    path("dossiers/<slug:slug>/historique/", history.dossier_history, name="dossier_history"),
    path("dossiers/<slug:slug>/historique/<int:old>/<int:new>/", history.dossier_diff, name="dossier_diff"),
    path(
        "dossiers/<slug:slug>/historique/<int:number>/retablir/",
        history.dossier_revert,
        name="dossier_revert",
    ),
    path("dossiers/<slug:slug>/", browse.dossier_detail, name="dossier"),
    path("communes/<slug:slug>/", places.commune_detail, name="commune"),
    path("departements/<slug:slug>/", places.department_detail, name="department"),
    path("regions/<slug:slug>/", places.region_detail, name="region"),
    *with_twins("technologies", catalogue.technology_list, "technology_list"),
    path("technologies/<slug:slug>/", catalogue.technology_detail, name="technology"),
    *with_twins("organisations", catalogue.organisation_list, "organisation_list"),
    path("organisations/<slug:slug>/", catalogue.organisation_detail, name="organisation"),
    *with_twins("decisions", records.outcome_list, "outcomes"),
    *with_twins("a-reverifier", records.ageing_list, "ageing"),
]
