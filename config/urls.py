from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path

from ocop.api.urls import api
from ocop.core.views import media_serve
from ocop.portal import root_views

urlpatterns = [
    path("quan-ly/", include("ocop.workspace.urls")),
    path("quan-ly/", include("ocop.core.urls")),
    path("quan-ly/phan-anh/", include("ocop.portal.moderation_urls")),
    # Public root files (one address each, not per language): the sitemap lists both languages' pages.
    path("sitemap.xml", root_views.sitemap, name="sitemap"),
    path("robots.txt", root_views.robots, name="robots"),
    path("favicon.ico", root_views.favicon, name="favicon"),
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
    # The public portal and the stamp pages: Vietnamese at the root, English under /en/ (the staff pages
    # above stay Vietnamese only: LocaleMiddleware activates the default language outside the prefix).
    *i18n_patterns(
        path("", include("ocop.portal.urls")),
        path("", include("ocop.traceability.public_urls")),
        prefix_default_language=False,
    ),
    path("api/v1/", api.urls),
    re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.+)$", media_serve, name="media"),
]

handler404 = "ocop.portal.root_views.page_not_found"
