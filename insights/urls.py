"""HR dashboard URLs, mounted at /insights/ (namespace ``insights``)."""

from django.urls import path

from insights import views

app_name = "insights"

urlpatterns = [
    path("", views.dashboard_index, name="index"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/charts/<slug:key>.csv", views.chart_csv, name="chart_csv"),
]
