"""Tabs over one list (certificates by status, alerts, feedback…): each tab shows how many rows it holds, and
a page opened without a choice lands on the first tab that has any, not on an empty one while work waits in
another. Rendered by ``templates/includes/tabs.html``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    count: int | None
    url: str
    current: bool


def chosen_tab(
    request: HttpRequest, *, param: str, keys: Sequence[str], counts: Mapping[str, int | None]
) -> str:
    """The tab asked for in ``?param=``, else the first one with rows, else the first."""
    asked = request.GET.get(param, "")
    if asked in keys:
        return asked
    return next((key for key in keys if counts.get(key)), keys[0])


def tab_list(
    request: HttpRequest,
    *,
    param: str,
    options: Sequence[tuple[str, str]],
    counts: Mapping[str, int | None],
    chosen: str,
    fragment: str = "",
) -> list[Tab]:
    """One tab per (key, label); its address keeps the page's other filters and drops the page number."""
    tabs = []
    for key, label in options:
        params = request.GET.copy()
        params.pop("page", None)
        params[param] = key
        tabs.append(Tab(key, label, counts.get(key), f"?{params.urlencode()}{fragment}", key == chosen))
    return tabs
