from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/", include("allauth.urls")),
    path("programmes/", include("programmes.urls")),
    path("pairing/", include("pairing.urls")),
    path("feedback/", include("feedback.urls")),
    path("django-admin/", admin.site.urls),
]
