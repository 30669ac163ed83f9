"""The verification hot path shared by the public page and ``GET /api/v1/stamps/{code}``.

One indexed SELECT of the stamp (lookup.py; its batch's product, entity and stars come from a
short-lived per-process cache), the verdict from signals.py, and the scan handed to the scan log — nothing
else touches the database for a known code. A code whose check character fails is answered "unknown"
without any query; unknown codes count against the source's probing budget (shared cache), beyond which
it gets HTTP 429.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.db import connection
from django.utils import timezone

from ocop.core import ratelimit

from . import codes, lookup, signals
from .choices import StampStatus, Verdict
from .conf import conf
from .scanlog import PendingScan, _aware, probing_alert, scan_log

PROBE_WINDOW = 600  # seconds


class Throttled(Exception):
    message = "Bạn đã tra cứu quá nhiều mã tem không tồn tại. Vui lòng thử lại sau ít phút."

    def __init__(self, retry_after: int) -> None:
        super().__init__(self.message)
        self.retry_after = retry_after


REPEAT_MESSAGE = "Bạn đã kiểm tra mã tem này quá nhiều lần. Vui lòng thử lại sau ít phút."


@dataclass(slots=True)
class Source:
    """Where a scan came from, reduced to what the counterfeit rules need."""

    net_hash: str = ""
    ua_hash: str = ""
    province: str = ""
    lat: float | None = None
    lon: float | None = None


@dataclass(slots=True)
class Result:
    status: str
    code: str = ""
    scan_count: int = 0
    lot: str = ""
    product: dict | None = None
    info: dict = field(default_factory=dict)
    signals: list[str] = field(default_factory=list)
    # Seconds the client should wait: it repeated this code past the limit (the scan was still logged).
    retry_after: int = 0

    def as_api(self) -> dict:
        return {
            "status": self.status,
            "product": self.product,
            "lot": self.lot,
            "scan_count": self.scan_count,
        }


def _digest(value: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:16]


@lru_cache(maxsize=4096)
def _net_hash(raw_ip: str) -> str:
    try:
        ip = ipaddress.ip_address(raw_ip)
    except ValueError:
        return ""
    net = ipaddress.ip_network(f"{ip}/{24 if ip.version == 4 else 48}", strict=False)
    return _digest(str(net))


@lru_cache(maxsize=1024)
def _ua_hash(ua: str) -> str:
    return _digest(ua) if ua else ""


def source_of(request, *, province: str = "", lat=None, lon=None) -> Source:
    """Hash the IP's network (/24, IPv6 /48) and the user agent; keep a place only if the phone sent one."""
    return Source(
        net_hash=_net_hash(request.META.get("REMOTE_ADDR", "")),
        ua_hash=_ua_hash(request.META.get("HTTP_USER_AGENT", "")[:512]),
        province=(province or "").strip()[:60],
        lat=_coarse(lat, 90),
        lon=_coarse(lon, 180),
    )


def _coarse(value, limit: float) -> float | None:
    """Coordinates rounded to 0.01° (about 1 km): enough to tell provinces apart, not a house."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not -limit <= number <= limit:
        return None
    return round(number, 2)


@lru_cache(maxsize=2)
def _today(minute: int):
    """Today's date as the database takes it, worked out once a minute (time zones are not free)."""
    return connection.ops.adapt_datefield_value(timezone.localdate())


def _date(value):
    """Dates read with raw SQL: SQLite gives ISO text."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _unknown(code: str, source: Source, now: dt.datetime) -> Result:
    key = f"stamps:probe:{source.net_hash or 'none'}"
    limit = conf().probe_limit
    count = ratelimit.count(key, PROBE_WINDOW)
    if count > limit:
        if count == limit + 1:
            probing_alert(source.net_hash, count)
        raise Throttled(PROBE_WINDOW - int(now.timestamp()) % PROBE_WINDOW)
    scan_log.record(
        PendingScan(None, code, now, Verdict.UNKNOWN, net_hash=source.net_hash, ua_hash=source.ua_hash)
    )
    return Result(Verdict.UNKNOWN, code=code)


SHARE_SALT = "ocop.traceability.share"
SHARE_MAX_AGE = 900  # seconds a phone has to share its place for a scan it just made


def share_token(result: Result) -> str:
    """Signed reference to the scan just answered: the verify page's "share my place" reload carries it,
    so that reload (and any reload of its address) completes this scan instead of counting new ones."""
    return signing.dumps([result.code, result.info["scanned_at"].isoformat()], salt=SHARE_SALT)


def _shared_scan_at(token: str, code: str) -> dt.datetime | None:
    try:
        shared_code, at = signing.loads(token, salt=SHARE_SALT, max_age=SHARE_MAX_AGE)
        return dt.datetime.fromisoformat(at) if shared_code == code else None
    except (signing.BadSignature, TypeError, ValueError):
        return None


def verify(
    text: str,
    source: Source,
    *,
    gtin: str | None = None,
    lot: str | None = None,
    shared: str = "",
    seen: str = "",
    details: bool = True,
) -> Result:
    """Answer one scan. ``text`` is a full code, or the 20-character serial of a Digital Link URL when
    ``gtin``/``lot`` are given (both must then match the stamp's product and batch). ``shared`` is a
    ``share_token`` of this code: the source's place then completes that earlier scan (not counted
    again). ``seen`` is the token this browser kept from its last scan of this code (the page's cookie):
    a reload shows the stamp again without counting a new scan. ``details=False`` (the API) leaves
    ``Result.info`` empty. A client that repeats one code past the limit gets ``retry_after`` set: the
    scan is logged and counted all the same, the caller answers 429."""
    now = timezone.now()
    if gtin is not None:
        code = codes.from_serial20(text) or ""
    else:
        code = codes.normalise(text)
        if not codes.is_valid(code):
            code = ""
    if not code:
        return _unknown(text[:40], source, now)
    stamp, batch = lookup.stamp_and_batch(code, _today(int(now.timestamp()) // 60))
    if stamp is None or batch is None:
        return _unknown(code, source, now)
    (stamp_id, status, scan_count, first_at, first_place, last_place_at, last_lat, last_lon, last_province,
     flagged, activated_at, scan_clients, batch_id) = stamp  # fmt: skip
    (batch_lot, production, expiry, origin, area, product_id, product_name, product_gtin, entity_name, stars,
     cert_until) = batch  # fmt: skip
    if gtin is not None and (gtin != codes.gtin14(product_gtin) or lot != batch_lot):
        return _unknown(text[:40], source, now)

    state = signals.StampState.from_row(
        status, scan_count, _aware(last_place_at), last_lat, last_lon, last_province, scan_clients
    )
    limits = conf()
    for waiting in scan_log.pending(stamp_id):  # this process's scans not yet written
        by = signals.client_of(waiting.net_hash)
        if waiting.amends:
            signals.locate(state, waiting.place, client=by)
        else:
            signals.advance(state, waiting.place, client=by, max_clients=limits.max_clients)
        first_at = first_at or waiting.at
    client = signals.client_of(source.net_hash)
    amends = _shared_scan_at(shared, code) if shared else None
    reload_of = _shared_scan_at(seen, code) if seen and amends is None else None
    if amends is not None and (source.province or source.lat is not None):
        place = signals.ScanPlace(amends, source.lat, source.lon, source.province)
        raised = signals.located(state, place, client=client)
    else:
        amends = None
        place = signals.ScanPlace(reload_of or now, source.lat, source.lon, source.province)
        raised = signals.evaluate(state, place, client=client, max_clients=limits.max_clients)
    repeated, retry_after = signals.repeats(state, client, signals.minute_of(now))
    if status in (StampStatus.REVOKED, StampStatus.VOID):
        verdict = Verdict.REVOKED
    elif flagged or raised:
        verdict = Verdict.SUSPICIOUS
    else:
        verdict = Verdict.GENUINE
    counted = amends is None and reload_of is None
    if reload_of is None:  # a reload of the page this browser just saw is not a scan
        scan_log.record(
            PendingScan(
                stamp_id,
                code,
                place.at,
                verdict,
                province=source.province,
                lat=source.lat,
                lon=source.lon,
                net_hash=source.net_hash,
                ua_hash=source.ua_hash,
                amends=amends is not None,
            )
        )
    result = Result(
        verdict,
        code=code,
        scan_count=state.scan_count + counted,  # a completed or reloaded scan was counted already
        lot=batch_lot,
        product={"id": product_id, "name": product_name, "entity": entity_name, "stars": stars},
        signals=list(raised),
        retry_after=retry_after if counted and repeated >= limits.repeat_limit else 0,
    )
    if not details:
        return result
    first_at = _aware(first_at)
    result.info = {
        "stamp_status": status,
        "first_scan_at": first_at or now,
        "first_scan_place": first_place or (source.province if first_at is None else ""),
        "is_first_scan": first_at is None,
        "production_date": _date(production),
        "expiry_date": _date(expiry),
        "raw_material_origin": origin,
        "area_certificates": area,
        "certificate_until": _date(cert_until),
        "activated_at": _aware(activated_at),
        "scanned_at": place.at,
        "batch_id": batch_id,
    }
    return result
