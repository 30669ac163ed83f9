"""Pages that travel: what a shared link shows (OpenGraph and Twitter cards) and what search engines read
(schema.org JSON-LD). One builder per kind of page; the base template renders ``share`` in <head>."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.templatetags.static import static

SITE_NAME = "Kết nối OCOP"
DEFAULT_IMAGE = "portal/img/share.png"  # 1200×630, for pages without a photo of their own


@dataclass
class Share:
    """The card of a shared link (Zalo, Facebook and X read OpenGraph; X also its own twitter: tags)."""

    title: str
    description: str
    url: str
    image: str = ""
    kind: str = "website"  # og:type
    json_ld: list[dict[str, Any]] = field(default_factory=list)

    @property
    def twitter_card(self) -> str:
        return "summary_large_image"

    @property
    def json_ld_blocks(self) -> list[str]:
        """The JSON-LD blocks as script content: "<" escaped, so text typed by users cannot close the
        element."""
        return [json.dumps(block, ensure_ascii=False).replace("<", "\\u003c") for block in self.json_ld]


def share(
    request: HttpRequest,
    *,
    title: str,
    description: str,
    image: str = "",
    kind: str = "website",
    json_ld: list[dict[str, Any]] | None = None,
    url: str = "",
) -> Share:
    """A page's share card; ``image`` a path or URL (the portal's default picture when empty), ``url`` the
    page's canonical address (this request's path by default)."""
    return Share(
        title=title,
        description=" ".join(description.split())[:300],
        url=url or request.build_absolute_uri(request.path),
        image=request.build_absolute_uri(image or static(DEFAULT_IMAGE)),
        kind=kind,
        json_ld=json_ld or [],
    )


def rating(stars: int) -> dict[str, Any]:
    return {"@type": "Rating", "ratingValue": stars, "bestRating": 5, "worstRating": 1}


def product_json_ld(
    *,
    name: str,
    url: str,
    description: str,
    images: list[str],
    category: str,
    stars: int,
    brand: dict[str, Any],
    certificate: dict[str, Any],
    offers: list[dict[str, Any]],
    gtin: str = "",
) -> dict[str, Any]:
    """schema.org Product: the brand (its entity), the OCOP star rating as a certification and, where a shop
    link exists, offers."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": name,
        "url": url,
        "description": description[:500],
        "image": images,
        "category": category,
        "award": f"OCOP {stars} sao",
        "brand": brand,
        "manufacturer": brand,
        "hasCertification": {"@type": "Certification", "certificationRating": rating(stars), **certificate},
    }
    if gtin:
        data["gtin"] = gtin
    if offers:
        data["offers"] = offers
    return data


def place_json_ld(
    *, name: str, url: str, address: str, locality: str, region: str, lat, lon
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Store",
        "name": name,
        "url": url,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": address,
            "addressLocality": locality,
            "addressRegion": region,
            "addressCountry": "VN",
        },
    }
    if lat is not None and lon is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": lat, "longitude": lon}
    return data


def fair_json_ld(
    *, name: str, url: str, start: str, end: str, venue: str, region: str, organiser: str
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": name,
        "url": url,
        "startDate": start,
        "endDate": end,
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {
            "@type": "Place",
            "name": venue,
            "address": {"@type": "PostalAddress", "addressRegion": region, "addressCountry": "VN"},
        },
    }
    if organiser:
        data["organizer"] = {"@type": "Organization", "name": organiser}
    return data
