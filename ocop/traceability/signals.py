"""Counterfeit signals from scan patterns (ocop-reference §7.4), as pure functions of a stamp's state and one
new scan. The verify path uses them to answer the scan at hand; the scan log applies them again in order when
it writes the scans, and raises one alert per stamp and kind.

A signal needs evidence from more than one client (issue 18): one client's repeats cannot defame a genuine
stamp. A *client* is the keyed hash of the scan's IP network (/24, IPv6 /48; the user agent is not part of
it: it costs nothing to change). "Too many scans" counts distinct clients within ``CLIENT_WINDOW``, and
"impossible travel" compares places sent by two different clients. Each stamp keeps the clients it has
seen recently in one short text column (``Stamp.scan_clients``, ``format_clients``), which also tells the
verify path how often this client repeated this code (rate-limited, verify.py).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from .choices import AlertKind, StampStatus

MAX_CLIENTS = 20  # more distinct networks verifying one unit than a household and its shop plausibly are
CLIENT_WINDOW_MINUTES = 30 * 24 * 60  # a client counts towards MAX_CLIENTS for this long after its last scan
REPEAT_LIMIT = 10  # verifications of one code by one client per REPEAT_WINDOW_MINUTES before HTTP 429
REPEAT_WINDOW_MINUTES = 10
MAX_SPEED_KMH = 300.0  # faster than a car or a train between two scans with coordinates
MIN_DISTANCE_KM = 30.0  # closer than this is "the same place" (coordinates are rounded, phones drift)
PROVINCE_WINDOW = dt.timedelta(minutes=15)  # two different provinces (names only) this close in time


@dataclass(slots=True)
class StampState:
    status: str
    scan_count: int = 0
    last_place_at: dt.datetime | None = None
    last_lat: float | None = None
    last_lon: float | None = None
    last_province: str = ""
    # client → [minute of its last scan, minute its repeat window began, scans in that window]
    clients: dict[str, list[int]] = field(default_factory=dict)
    last_client: str = ""  # the client that sent the last place

    @classmethod
    def from_row(cls, status, scan_count, last_place_at, last_lat, last_lon, last_province, clients_text):
        state = cls(status, scan_count, last_place_at, last_lat, last_lon, last_province or "")
        state.last_client, state.clients = parse_clients(clients_text or "")
        return state


def client_of(net_hash: str) -> str:
    """A short client key (8 of the network hash's hex digits: plenty to tell a few dozen clients apart)."""
    return net_hash[:8]


def minute_of(at: dt.datetime) -> int:
    return int(at.timestamp() // 60)


def parse_clients(text: str) -> tuple[str, dict[str, list[int]]]:
    """``"@<last client> <client>:<last>:<start>:<count> …"`` → (last client, clients)."""
    last_client = ""
    clients: dict[str, list[int]] = {}
    for token in text.split():
        if token.startswith("@"):
            last_client = token[1:]
            continue
        parts = token.split(":")
        if len(parts) == 4 and parts[1].isdigit() and parts[2].isdigit() and parts[3].isdigit():
            clients[parts[0]] = [int(parts[1]), int(parts[2]), int(parts[3])]
    return last_client, clients


def format_clients(state: StampState) -> str:
    head = [f"@{state.last_client}"] if state.last_client else []
    return " ".join(head + [f"{c}:{v[0]}:{v[1]}:{v[2]}" for c, v in state.clients.items()])


def recent_clients(state: StampState, minute: int) -> set[str]:
    return {c for c, v in state.clients.items() if minute - v[0] < CLIENT_WINDOW_MINUTES}


def repeats(state: StampState, client: str, minute: int) -> tuple[int, int]:
    """How many times ``client`` verified this stamp in its current repeat window (before this scan), and
    the seconds until that window ends."""
    seen = state.clients.get(client) if client else None
    if seen is None or minute - seen[1] >= REPEAT_WINDOW_MINUTES:
        return 0, 0
    return seen[2], (seen[1] + REPEAT_WINDOW_MINUTES - minute) * 60


@dataclass(slots=True)
class ScanPlace:
    at: dt.datetime
    lat: float | None = None
    lon: float | None = None
    province: str = ""


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def impossible_travel(
    state: StampState, scan: ScanPlace, *, client: str = "", max_speed_kmh: float = MAX_SPEED_KMH
) -> dict:
    """Details of the jump when the previous scan and this one cannot both be real, else {}. Both places
    must come from different known clients: one client sending two far-apart places proves nothing about
    the label (it can type any coordinates)."""
    if state.last_place_at is None or not client or not state.last_client or state.last_client == client:
        return {}
    hours = max((scan.at - state.last_place_at).total_seconds() / 3600, 1 / 3600)
    if None not in (state.last_lat, state.last_lon, scan.lat, scan.lon):
        km = distance_km(state.last_lat, state.last_lon, scan.lat, scan.lon)  # type: ignore[arg-type]
        if km >= MIN_DISTANCE_KM and km / hours > max_speed_kmh:
            return {"km": round(km), "minutes": round(hours * 60, 1)}
        return {}
    if (
        state.last_province
        and scan.province
        and state.last_province.casefold() != scan.province.casefold()
        and scan.at - state.last_place_at < PROVINCE_WINDOW
    ):
        return {"from": state.last_province, "to": scan.province, "minutes": round(hours * 60, 1)}
    return {}


def evaluate(
    state: StampState,
    scan: ScanPlace,
    *,
    client: str = "",
    max_clients: int = MAX_CLIENTS,
    max_speed_kmh: float = MAX_SPEED_KMH,
) -> dict[str, dict]:
    """Signals raised by this scan from ``client``: alert kind → details."""
    found: dict[str, dict] = {}
    if state.status == StampStatus.ISSUED:
        found[AlertKind.BEFORE_ACTIVATION] = {}
    clients = recent_clients(state, minute_of(scan.at)) | ({client} if client else set())
    if len(clients) > max_clients:
        found[AlertKind.TOO_MANY_SCANS] = {
            "clients": len(clients),
            "limit": max_clients,
            "scans": state.scan_count + 1,
        }
    jump = impossible_travel(state, scan, client=client, max_speed_kmh=max_speed_kmh)
    if jump:
        found[AlertKind.IMPOSSIBLE_TRAVEL] = jump
    return found


def advance(state: StampState, scan: ScanPlace, *, client: str = "", max_clients: int = MAX_CLIENTS) -> None:
    """The state after this scan (the last place is kept when the scan has none)."""
    state.scan_count += 1
    if client:
        minute = minute_of(scan.at)
        seen = state.clients.pop(client, None)  # re-inserted last: the dict stays oldest-seen first
        if seen is None or minute - seen[1] >= REPEAT_WINDOW_MINUTES:
            seen = [minute, minute, 0]
        seen[0] = minute
        seen[2] += 1
        state.clients[client] = seen
        for stale in [c for c, v in state.clients.items() if minute - v[0] >= CLIENT_WINDOW_MINUTES]:
            del state.clients[stale]
        while len(state.clients) > max_clients + 1:  # past the limit the stamp is flagged anyway
            del state.clients[next(iter(state.clients))]
    locate(state, scan, client=client)


def located(state: StampState, scan: ScanPlace, *, client: str = "") -> dict[str, dict]:
    """Signals raised when a place is added to a scan already counted (the phone shared it afterwards)."""
    jump = impossible_travel(state, scan, client=client)
    return {AlertKind.IMPOSSIBLE_TRAVEL: jump} if jump else {}


def locate(state: StampState, scan: ScanPlace, *, client: str = "") -> None:
    """The last place moves to this scan's, when it has one."""
    if (scan.lat is not None and scan.lon is not None) or scan.province:
        state.last_place_at = scan.at
        state.last_lat, state.last_lon, state.last_province = scan.lat, scan.lon, scan.province
        state.last_client = client
