from django.urls import path

from .views import campaigns, export, links, mandates, signatory

app_name = "complaints"
urlpatterns = [
    path("", campaigns.campaign_list, name="campaign_list"),
    path("<slug:slug>/", campaigns.campaign, name="campaign"),
    path("<slug:slug>/merci/", campaigns.thanks, name="thanks"),
    path("<slug:slug>/export/", export.export, name="export"),
    path("<slug:slug>/mandat/<int:number>/", mandates.mandate, name="mandate"),
    path("<slug:slug>/mandat/<int:number>.txt", mandates.mandate_text, name="mandate_text"),
    path("confirmer/<str:token>/", links.confirm, name="confirm"),
    path("retirer/<str:token>/", links.withdraw, name="withdraw"),
    path("pas-moi/<str:token>/", links.not_me, name="not_me"),
    path("modification/<str:token>/", links.confirm_change, name="confirm_change"),
    path("ma-signature/<str:token>/", signatory.page, name="signatory"),
    path("ma-signature/<str:token>/modifier/", signatory.change, name="signatory_change"),
    path("ma-signature/<str:token>/copie/", signatory.copy, name="signatory_copy"),
    path("ma-signature/<str:token>/nouvelles/", signatory.stop_news, name="signatory_news"),
]
