from django.urls import path

from .views import contribute, history

app_name = "registry"
urlpatterns = [
    # Contribution (anyone) and moderation of dossier proposals.
    path("proposer/", contribute.propose, name="dossier_propose"),
    path("proposer/envoye/", contribute.proposal_sent, name="proposal_sent"),
    path("dossiers/<slug:slug>/proposer/", contribute.propose_edit, name="dossier_propose_edit"),
    path("dossiers/propositions/<int:pk>/modifier/", contribute.moderate_edit, name="proposal_edit"),
    # History.
    path("dossiers/<slug:slug>/historique/", history.dossier_history, name="dossier_history"),
    path("dossiers/<slug:slug>/historique/<int:old>/<int:new>/", history.dossier_diff, name="dossier_diff"),
    path(
        "dossiers/<slug:slug>/historique/<int:number>/retablir/",
        history.dossier_revert,
        name="dossier_revert",
    ),
]

# placeholder until browse lands
urlpatterns += [
    path("dossiers/<slug:slug>/", history.dossier_placeholder, name="dossier"),
]
