from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("claims.urls")),
]

handler500 = "factcheck.views.server_error"
