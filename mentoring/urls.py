from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from . import views

# The Django admin signs people in through allauth, never through its own form: the same
# rate limits, the same TOTP step and the same MFA policy as the rest of the site. A
# signed-in user without is_staff gets a 403, an anonymous one goes to the allauth sign-in.
admin.site.login = secure_admin_login(admin.site.login)

# An unreachable database answers a clean 503 page (mentoring/unavailable.py).
handler500 = "mentoring.unavailable.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/", include("allauth.urls")),
    path("", include("mentoring.notifications.urls")),
    path("programmes/", include("programmes.urls")),
    path("pairing/", include("pairing.urls")),
    path("insights/", include("insights.urls")),
    # At the root: feedback serves /feedback/… and, after pairing's own, the pair's pages
    # at /pairing/pairs/<id>/ and /pairing/sessions/<id>/ (feedback.urls says why).
    path("", include("feedback.urls")),
    path("django-admin/", admin.site.urls),
]
