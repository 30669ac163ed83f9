"""Stamp addresses at the site root: GS1 Digital Link style /01/{GTIN}/10/{lot}/21/{serial} and /s/{code}."""

import os

from django.urls import path, re_path

from . import public

app_name = "traceability_public"
urlpatterns = [
    # The public verify API without ninja's request parsing (the operation in api.py documents it).
    path("api/v1/stamps/<str:code>", public.stamp_api_view, name="stamp_api"),
    path("s/", public.verify_form_view, name="verify_form"),
    path("s/<str:code>", public.verify_code_view, name="verify_code"),
    re_path(
        r"^01/(?P<gtin>\d{14})/10/(?P<lot>[A-Za-z0-9._-]{1,20})/21/(?P<serial>[0-9A-Za-z]{1,40})$",
        public.verify_link_view,
        name="verify_link",
    ),
]
if os.environ.get("OCOP_BENCH_HELLO") == "1":
    urlpatterns.append(path("bench/hello", public.hello_view, name="hello"))
