"""EPCIS 2.0 JSON-LD document of a batch's events (GS1 EPCIS 2.0 / CBV 2.0 names; ocop-reference §7.3).

What is identified: the batch as an EPC class (LGTIN: the product's GTIN + lot when a GTIN exists, else a
URN private to this system) with a quantity. Where: the read point and business location the producer wrote,
plus the commune's code. The lot's master data (dates, origin) goes in ``ilmd`` of the commissioning event.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from . import codes
from .models import Batch, TraceEvent

CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"


def epc_class(batch: Batch, base_url: str) -> str:
    gtin = codes.gtin14(batch.product.gtin)
    if gtin:
        return f"https://id.gs1.org/01/{gtin}/10/{batch.lot}"
    return f"{base_url}/truy-xuat/lo/{batch.pk}"


def _time(value: dt.datetime) -> tuple[str, str]:
    local = timezone.localtime(value)
    offset = local.strftime("%z")
    return local.isoformat(timespec="seconds"), f"{offset[:3]}:{offset[3:]}"


def event_json(event: TraceEvent, batch: Batch, base_url: str) -> dict:
    when, offset = _time(event.event_time)
    what = epc_class(batch, base_url)
    quantity = [{"epcClass": what, "quantity": event.quantity or batch.quantity or 0, "uom": "H87"}]
    body: dict = {
        "type": event.event_type,
        "eventID": f"{base_url}/truy-xuat/su-kien/{event.pk}",
        "eventTime": when,
        "eventTimeZoneOffset": offset,
        "recordTime": timezone.localtime(event.created_at).isoformat(timespec="seconds"),
        "action": event.action,
        "bizStep": event.biz_step,
        "disposition": event.disposition,
    }
    if event.event_type == "AggregationEvent":
        body["parentID"] = f"{what}/pack/{event.pk}"
        body["childQuantityList"] = quantity
    else:
        body["quantityList"] = quantity
    read_point = event.read_point or event.biz_location
    if read_point:
        body["readPoint"] = {"id": f"{base_url}/truy-xuat/dia-diem/{_slug(read_point)}"}
    if event.biz_location or event.commune_id:
        body["bizLocation"] = {"id": f"{base_url}/truy-xuat/dia-diem/{_slug(event.biz_location or 'xa')}"}
    extension = {
        k: v
        for k, v in {
            "ocop:readPointName": event.read_point,
            "ocop:bizLocationName": event.biz_location,
            "ocop:communeCode": event.commune.code if event.commune_id else "",
            "ocop:note": event.note,
        }.items()
        if v
    }
    body.update(extension)
    if event.biz_step == "commissioning" and event.action == "ADD":
        ilmd = {
            "cbvmda:lotNumber": batch.lot,
            "cbvmda:itemExpirationDate": batch.expiry_date.isoformat() if batch.expiry_date else None,
            "cbvmda:productionDate": batch.production_date.isoformat() if batch.production_date else None,
            "ocop:rawMaterialOrigin": batch.raw_material_origin or None,
            "ocop:areaCertificates": batch.area_certificates or None,
        }
        body["ilmd"] = {k: v for k, v in ilmd.items() if v}
    return body


def _slug(text: str) -> str:
    from django.utils.text import slugify

    from ocop.core.text import unaccent

    return slugify(unaccent(text))[:60] or "khong-ro"  # identifiers keep the name's own "y"


def epcis_document(batch: Batch, base_url: str) -> dict:
    events = list(batch.events.select_related("commune").order_by("event_time", "id"))
    return {
        "@context": [CONTEXT, {"ocop": f"{base_url}/truy-xuat/epcis/ns#"}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": timezone.localtime().isoformat(timespec="seconds"),
        "epcisBody": {"eventList": [event_json(e, batch, base_url) for e in events]},
    }
