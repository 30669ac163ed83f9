from django.conf import settings
from django.urls import include, path, re_path

from ocop.api.urls import api
from ocop.core.views import media_serve

urlpatterns = [
    path("quan-ly/", include("ocop.workspace.urls")),
    path("quan-ly/", include("ocop.core.urls")),
    path("", include("ocop.portal.urls")),
    path("tai-khoan/", include("ocop.accounts.urls")),
    path("quan-ly/du-lieu-ca-nhan/", include("ocop.privacy.urls")),
    path("chu-the/", include("ocop.producers.urls")),
    path("san-pham/", include("ocop.products.urls")),
    path("chung-nhan/", include("ocop.certification.urls")),
    path("nhap-du-lieu/", include("ocop.imports.urls")),
    path("thong-ke/", include("ocop.targets.urls")),
    path("danh-gia/", include("ocop.evaluation.urls")),
    path("truy-xuat/", include("ocop.traceability.urls")),
    path("ho-tro/", include("ocop.support.urls")),
    path("y-tuong/", include("ocop.ideas.urls")),
    path("kiem-tra/", include("ocop.inspections.urls")),
    path("kinh-phi/", include("ocop.funding.urls")),
    path("", include("ocop.traceability.public_urls")),
    path("api/v1/", api.urls),
    re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.+)$", media_serve, name="media"),
]
