"""The public product page lets a buyer check a stamp: a plain GET form to the public verify page."""

from __future__ import annotations

import re

import pytest

from ocop.traceability import services

pytestmark = pytest.mark.django_db


def test_product_page_has_a_stamp_check_form_that_reaches_the_verify_page(client, portal, settings):
    settings.STAMP_SCANS_SYNC = True
    settings.STAMP_READER_CONNECTION = False  # the test's transaction is not visible to another connection
    url = client.get(f"/san-pham-ocop/{portal.mien.pk}/")["Location"]
    response = client.get(url)
    html = response.content.decode()
    assert "Kiểm tra tem" in html
    form = re.search(r'<form method="get" action="(?P<action>[^"]+)">(?P<body>.*?)</form>', html, re.S)
    assert form and form["action"] == "/s/"
    assert 'name="ma"' in form["body"] and "style=" not in form["body"]  # strict CSP: no inline style

    batch = services.batch_create(user=None, product=portal.mien, lot="PT-1")
    services.stamps_issue(user=None, batch=batch, count=1, active=True, base_url="")
    code = batch.stamps.get().code
    typed = f"{code[:5].lower()}-{code[5:10]} {code[10:]}"  # as a buyer types it from the label
    redirect = client.get(form["action"], {"ma": typed})
    assert redirect.status_code == 302 and redirect["Location"] == f"/s/{code}"
    assert "Tem chính hãng" in client.get(redirect["Location"]).content.decode()
