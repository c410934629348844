"""Feedback URLs, mounted at the site root (``mentoring.urls``), all in namespace ``feedback``.

- ``/feedback/``: reflections, goals and ledger (workspace.py), pair health (health.py),
  surveys and outcome imports (outcomes.py).
- ``/pairing/``: the pair page, the session list and the session page (pair_page.py).
  They are feedback's pages at the addresses they had when pairing drew them; pairing's
  own URLs (``/pairing/…``, namespace ``pairing``) are tried first and never overlap.
"""

from django.urls import include, path

from .health import urlpatterns as health_urlpatterns
from .outcomes import urlpatterns as outcomes_urlpatterns
from .pair_page import urlpatterns as pair_page_urlpatterns
from .workspace import urlpatterns as workspace_urlpatterns

app_name = "feedback"

urlpatterns = [
    path(
        "feedback/",
        include([*workspace_urlpatterns, *health_urlpatterns, *outcomes_urlpatterns]),
    ),
    path("pairing/", include(pair_page_urlpatterns)),
]
