"""Pairing URLs: matching runs and proposals (runs.py), the pair's workspace (workspace.py)."""

from .runs import urlpatterns as runs_urlpatterns
from .workspace import urlpatterns as workspace_urlpatterns

app_name = "pairing"

urlpatterns = [*runs_urlpatterns, *workspace_urlpatterns]
