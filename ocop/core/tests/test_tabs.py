"""Tabs open on the first one with rows and keep the page's other filters."""

from __future__ import annotations

from django.test import RequestFactory

from ocop.core.tabs import chosen_tab, tab_list

KEYS = ["expiring", "lapsed", "in_force"]
COUNTS = {"expiring": 0, "lapsed": 31, "in_force": 4}


def test_page_without_a_choice_opens_the_first_tab_with_rows():
    request = RequestFactory().get("/giay-chung-nhan/")
    assert chosen_tab(request, param="trang_thai", keys=KEYS, counts=COUNTS) == "lapsed"


def test_tab_asked_for_is_kept_even_when_empty():
    request = RequestFactory().get("/", {"trang_thai": "expiring"})
    assert chosen_tab(request, param="trang_thai", keys=KEYS, counts=COUNTS) == "expiring"


def test_unknown_or_all_empty_falls_back_to_the_first_tab():
    request = RequestFactory().get("/", {"trang_thai": "khong-co"})
    assert chosen_tab(request, param="trang_thai", keys=KEYS, counts=dict.fromkeys(KEYS, 0)) == "expiring"


def test_tab_links_keep_filters_and_drop_the_page_number():
    request = RequestFactory().get("/", {"ngay": "2026-11-23", "page": "3", "trang_thai": "lapsed"})
    options = [("expiring", "Sắp hết hạn"), ("lapsed", "Hết hạn")]
    tabs = tab_list(
        request, param="trang_thai", options=options, counts=COUNTS, chosen="lapsed", fragment="#t"
    )
    assert [(t.label, t.count, t.current) for t in tabs] == [("Sắp hết hạn", 0, False), ("Hết hạn", 31, True)]
    assert tabs[0].url == "?ngay=2026-11-23&trang_thai=expiring#t"
