"""Feedback URLs: reflections, goals and ledger (workspace.py), pair health (health.py)."""

from .health import urlpatterns as health_urlpatterns
from .workspace import urlpatterns as workspace_urlpatterns

app_name = "feedback"

urlpatterns = [*workspace_urlpatterns, *health_urlpatterns]
