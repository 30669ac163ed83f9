"""Counterfeit signals from scan patterns (ocop-reference §7.4), as pure functions of a stamp's state and one
new scan. The verify path uses them to answer the scan at hand; the scan log applies them again in order when
it writes the scans, and raises one alert per stamp and kind."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from .choices import AlertKind, StampStatus

MAX_SCANS = 20  # more verifications of one unit than a household plausibly makes
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


def impossible_travel(state: StampState, scan: ScanPlace, *, max_speed_kmh: float = MAX_SPEED_KMH) -> dict:
    """Details of the jump when the previous scan and this one cannot both be real, else {}."""
    if state.last_place_at is None:
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
    state: StampState, scan: ScanPlace, *, max_scans: int = MAX_SCANS, max_speed_kmh: float = MAX_SPEED_KMH
) -> dict[str, dict]:
    """Signals raised by this scan: alert kind → details."""
    found: dict[str, dict] = {}
    if state.status == StampStatus.ISSUED:
        found[AlertKind.BEFORE_ACTIVATION] = {}
    if state.scan_count + 1 > max_scans:
        found[AlertKind.TOO_MANY_SCANS] = {"scans": state.scan_count + 1, "limit": max_scans}
    jump = impossible_travel(state, scan, max_speed_kmh=max_speed_kmh)
    if jump:
        found[AlertKind.IMPOSSIBLE_TRAVEL] = jump
    return found


def advance(state: StampState, scan: ScanPlace) -> None:
    """The state after this scan (the last place is kept when the scan has none)."""
    state.scan_count += 1
    locate(state, scan)


def located(state: StampState, scan: ScanPlace) -> dict[str, dict]:
    """Signals raised when a place is added to a scan already counted (the phone shared it afterwards)."""
    jump = impossible_travel(state, scan)
    return {AlertKind.IMPOSSIBLE_TRAVEL: jump} if jump else {}


def locate(state: StampState, scan: ScanPlace) -> None:
    """The last place moves to this scan's, when it has one."""
    if (scan.lat is not None and scan.lon is not None) or scan.province:
        state.last_place_at = scan.at
        state.last_lat, state.last_lon, state.last_province = scan.lat, scan.lon, scan.province
