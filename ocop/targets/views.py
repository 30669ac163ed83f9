"""Dashboard and targets pages: officers see their own unit's figures, admins any province."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from ocop.accounts.http import SignedInRequest
from ocop.accounts.roles import OFFICER_ROLES
from ocop.core.exports import xlsx_response
from ocop.core.text import is_ascii_digits
from ocop.geography.models import AdminUnit, Level

from . import charts, tables
from .forms import StatsFilterForm, TargetForm
from .models import Target
from .programme import idea_table, programme_figures, stamp_table
from .progress import targets_progress, unit_targets_progress
from .selectors import history_load, province_planner, stats_unit_allowed, stats_units_for, unit_stats
from .services import target_delete, target_set


def _may_use_stats(user) -> bool:
    return user.is_admin_role or (user.role in OFFICER_ROLES and user.unit_id is not None)


def _selection(request: SignedInRequest) -> tuple[StatsFilterForm, AdminUnit, object]:
    """The unit and as-of date asked for; 404 for anyone outside the officers/admin or the unit's scope."""
    user = request.user
    if not _may_use_stats(user):
        raise Http404
    units = list(stats_units_for(user))
    form = StatsFilterForm(request.GET or None, units=units)
    data = form.cleaned_data if form.is_valid() else {}
    as_of = data.get("as_of") or timezone.localdate()
    unit = None
    wanted = request.GET.get("unit", "").strip()
    if wanted:
        # Usually one of the units just loaded for the picker: no second query for it.
        unit = next((u for u in units if str(u.pk) == wanted), None)
        if unit is None and is_ascii_digits(wanted):
            unit = AdminUnit.objects.filter(pk=wanted).first()
        if unit is None or not stats_unit_allowed(user=user, unit=unit):
            raise Http404
    if unit is None:
        unit = units[0] if user.is_admin_role and units else user.unit
    if unit is None:
        raise Http404
    if "unit" in form.fields:
        form.initial["unit"] = unit.pk
    form.initial["as_of"] = as_of
    return form, unit, as_of


def _export(table: tables.Table, unit: AdminUnit, as_of) -> HttpResponse:
    filename = f"thong-ke-{table.key}-{slugify(unit.short_name or unit.name)}-{as_of:%Y%m%d}"
    title = re.sub(r"[\[\]:*?/\\]", "-", table.title)  # characters a sheet name may not hold
    return xlsx_response(filename, table.headers, table.rows, title=title)


def _shortened(label: str, length: int) -> str:
    """A chart label that fits its column, cut at a word with "…" (the table below has the full name)."""
    if len(label) <= length:
        return label
    return label[: length - 1].rsplit(" ", 1)[0] + "…"


@login_required
def dashboard(request: SignedInRequest) -> HttpResponse:
    form, unit, as_of = _selection(request)
    communes = tables.unit_communes(unit)
    history = history_load(unit, communes_total=len(communes))
    stats = unit_stats(unit, as_of, history=history)
    names = tables.group_names()
    table_list = [
        tables.summary_table(stats),
        tables.year_table(stats),
        tables.star_table(stats),
        tables.group_table(stats, names),
        tables.entity_type_table(stats),
        tables.target_table(stats),
    ]
    district = tables.district_table(history, as_of)
    if district is not None:
        table_list.append(district)
    table_list.append(tables.commune_table(history, as_of, communes))
    programme = programme_figures(user=request.user, unit=unit, history=history, day=as_of)
    table_list += [stamp_table(programme["stamps"]), idea_table(stats)]
    by_key = {t.key: t for t in table_list}
    export = request.GET.get("export")
    if export:
        if export not in by_key:
            raise Http404
        return _export(by_key[export], unit, as_of)
    context = {
        "form": form,
        "unit": unit,
        "as_of": as_of,
        "stats": stats,
        "tables": by_key,
        "query": request.GET.urlencode() if request.GET else f"as_of={as_of:%Y-%m-%d}",
        "year_chart": charts.year_chart(stats["by_year"], through=int(stats["as_of"][:4])),
        "star_chart": charts.bar_chart(
            [(f"{k} sao", n) for k, n in stats["by_star"].items()],
            title="Sản phẩm OCOP theo hạng sao",
            colour="#c98a00",
        ),
        "group_chart": charts.bar_chart(
            [(_shortened(f"{code}. {names.get(code, '')}", 22), n) for code, n in stats["by_group"].items()],
            title="Sản phẩm OCOP theo nhóm",
        ),
        "map": charts.commune_map(tables.map_points(history, as_of, communes)),
        "programme": programme,
    }
    return render(request, "targets/dashboard.html", context)


def _target_rows(unit: AdminUnit, as_of: dt.date) -> list[dict]:
    """A province's targets and its districts' and communes'; a district's or commune's own."""
    if unit.level == Level.PROVINCE:
        rows = targets_progress(unit, as_of)
    else:
        rows = unit_targets_progress(unit, as_of)
    for row in rows:
        row["bar"] = min(row["percent"], 100)
        row["start_date"] = dt.date.fromisoformat(row["start"])
        row["deadline_date"] = dt.date.fromisoformat(row["deadline"])
    return rows


def _target_table(rows: list[dict]) -> tables.Table:
    return tables.Table(
        "targets",
        "Chỉ tiêu kế hoạch",
        ["Đơn vị", "Chỉ tiêu", "Từ ngày", "Đến ngày", "Kế hoạch", "Thực hiện", "Tỷ lệ (%)"],
        [
            [
                r["unit"],
                r["label"],
                r["start_date"].strftime("%d/%m/%Y"),
                r["deadline_date"].strftime("%d/%m/%Y"),
                r["value"],
                r["actual"],
                r["percent"],
            ]
            for r in rows
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def target_list(request: SignedInRequest) -> HttpResponse:
    form, unit, as_of = _selection(request)
    can_set = province_planner(user=request.user, province=unit)
    target_form = TargetForm(request.POST or None, province=unit) if can_set else None
    if request.method == "POST":
        if not can_set:
            raise Http404
        if request.POST.get("delete"):
            target = Target.objects.filter(pk=request.POST["delete"], province=unit).first()
            if target is None:
                raise Http404
            target_delete(user=request.user, target=target)
            messages.success(request, "Đã xoá chỉ tiêu.")
            return redirect(request.get_full_path())
        if target_form.is_valid():
            data = target_form.cleaned_data
            try:
                _target, created = target_set(
                    user=request.user,
                    province=unit,
                    unit=AdminUnit.objects.filter(pk=data["place"]).first() if data.get("place") else None,
                    metric=data["metric"],
                    value=data["value"],
                    start=data["start"],
                    deadline=data["deadline"],
                )
            except ValidationError as error:
                target_form.add_error(None, "; ".join(error.messages))
            else:
                messages.success(request, "Đã đặt chỉ tiêu." if created else "Đã thay giá trị chỉ tiêu.")
                return redirect(request.get_full_path())
    rows = _target_rows(unit, as_of)
    if request.GET.get("export") == "targets":
        return _export(_target_table(rows), unit, as_of)
    return render(
        request,
        "targets/target_list.html",
        {
            "form": form,
            "unit": unit,
            "as_of": as_of,
            "rows": rows,
            "target_form": target_form,
            "can_set": can_set,
            "is_province": unit.level == Level.PROVINCE,
            "query": request.GET.urlencode() if request.GET else f"as_of={as_of:%Y-%m-%d}",
        },
    )
