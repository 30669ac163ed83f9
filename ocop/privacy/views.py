from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ocop.core.errors import ScopeError

from . import services


def _admin(request) -> None:
    if not request.user.can("manage_users"):
        raise Http404


@login_required
@require_http_methods(["GET"])
def person_search(request):
    _admin(request)
    q = request.GET.get("q", "").strip()[:100]
    matches = services.find_person(user=request.user, q=q) if q else []
    return render(request, "privacy/person_search.html", {"q": q, "matches": matches, "searched": bool(q)})


def _items(values: list[str]) -> list[tuple[str, int]]:
    items = []
    for value in values:
        label, _, pk = value.rpartition(":")
        if not pk.isdigit():
            raise Http404
        items.append((label, int(pk)))
    return items


@login_required
@require_POST
def person_export(request):
    _admin(request)
    try:
        data = services.person_export(user=request.user, items=_items(request.POST.getlist("item")))
    except (ScopeError, ObjectDoesNotExist, LookupError) as exc:
        raise Http404 from exc
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="du-lieu-ca-nhan.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def person_erase(request):
    _admin(request)
    if request.POST.get("confirm") != "1":
        messages.error(request, "Hãy đánh dấu xác nhận trước khi xoá dữ liệu cá nhân.")
        return redirect(f"{request.path.rsplit('xoa/', 1)[0]}?q={request.POST.get('q', '')}")
    try:
        for label, pk in _items(request.POST.getlist("item")):
            services.person_erase(user=request.user, label=label, pk=pk)
    except (ScopeError, ObjectDoesNotExist, LookupError) as exc:
        raise Http404 from exc
    messages.success(
        request, "Đã xoá (ẩn danh hoá) dữ liệu cá nhân; bản ghi và số liệu thống kê được giữ lại."
    )
    return redirect("privacy:person_search")
