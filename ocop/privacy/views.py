from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ocop.certification.selectors import entity_listed
from ocop.core.errors import ScopeError
from ocop.core.scoping import CHANGE
from ocop.core.text import is_ascii_digits
from ocop.producers.models import Entity

from . import services
from .forms import ConsentForm
from .selectors import consent_for, consent_outdated


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
        if not is_ascii_digits(pk):
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
        services.person_erase_many(user=request.user, items=_items(request.POST.getlist("item")))
    except (ScopeError, ObjectDoesNotExist, LookupError) as exc:
        raise Http404 from exc
    messages.success(
        request, "Đã xoá (ẩn danh hoá) dữ liệu cá nhân; bản ghi và số liệu thống kê được giữ lại."
    )
    return redirect("privacy:person_search")


WITHDRAWN = "Đã rút lại đồng ý: cổng thông tin không còn hiện thông tin liên hệ."


@login_required
@require_http_methods(["GET", "POST"])
def consent_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Đồng ý công khai thông tin liên hệ: the entity's own account or an officer in scope (else 404)."""
    entity = get_object_or_404(Entity.objects.for_user(request.user, CHANGE).select_related("commune"), pk=pk)
    consent = consent_for(entity=entity)
    if consent is not None:
        initial = {
            "show_representative": consent.show_representative,
            "show_phone": consent.show_phone,
            "given_on": consent.given_on,
            "evidence": consent.evidence,
        }
    else:
        initial = {"given_on": timezone.localdate()}
    if request.method == "POST" and request.POST.get("withdraw") == "1":
        # Withdrawing never depends on the rest of the form (as easy as giving consent).
        try:
            services.consent_withdraw(user=request.user, entity=entity)
        except ScopeError as exc:
            raise Http404 from exc
        messages.success(request, WITHDRAWN)
        return redirect("privacy:consent_edit", pk=entity.pk)
    form = ConsentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent = services.consent_record(
                user=request.user,
                entity=entity,
                show_representative=data["show_representative"],
                show_phone=data["show_phone"],
                given_on=data["given_on"],
                evidence=data["evidence"],
            )
        except ScopeError as exc:
            raise Http404 from exc
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, WITHDRAWN if consent is None else "Đã ghi nhận đồng ý công khai thông tin liên hệ."
            )
            return redirect("privacy:consent_edit", pk=entity.pk)
    return render(
        request,
        "privacy/consent_form.html",
        {
            "entity": entity,
            "consent": consent,
            "form": form,
            "own_producer": request.user.entity_id == entity.pk,
            "outdated": consent is not None and consent_outdated(consent=consent, entity=entity),
            "on_portal": entity_listed(entity_id=entity.pk),
        },
    )
