"""What the public product page shows (issue 21, "public pages a consumer trusts"; issue 23, pages that
travel):

* the certificate: its number, the decision that recognised the product (number and date), its validity —
  and, for an expired product, a notice before anything that offers to sell it;
* a photo, or a neutral placeholder;
* the place by today's units (the registered one in brackets), a small map, no raw coordinates;
* where to buy (points of sale, shops online), which also become the JSON-LD ``offers``.
"""

from __future__ import annotations

from typing import Any

from django.templatetags.static import static
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import selectors, seo
from .models import PortalListing
from .placenames import listing_label
from .search import today
from .slugs import slug_for

PLACEHOLDER = "portal/img/placeholder.svg"


def decision_of(listing: PortalListing) -> tuple[str, Any]:
    """(number, date) of the decision behind the listed certificate ("" / None when unknown)."""
    certificate = listing.certificate
    event = certificate.event if certificate is not None else None
    if event is None:
        return "", None
    return event.decision_number, event.decision_date


def context(request, listing: PortalListing, *, where_to_buy: dict[str, list]) -> dict[str, Any]:
    product = listing.product
    day = today()
    english = get_language() == "en"
    name = (product.name_en if english and product.name_en else "") or product.name
    description = (
        product.description_en if english and product.description_en else ""
    ) or product.description
    images = selectors.image_urls(listing)
    canonical = request.build_absolute_uri(listing.get_absolute_url())
    entity = listing.entity
    entity_href = request.build_absolute_uri(selectors.entity_url(entity))
    in_force = selectors.in_force(listing)
    decision_number, decision_date = decision_of(listing)
    place = listing_label(listing, day)
    offers = [
        {
            "@type": "Offer",
            "url": shop.url,
            "seller": {"@type": "Organization", "name": shop.get_platform_display()},
            "availability": "https://schema.org/InStock",
        }
        for shop in where_to_buy.get("listings", [])
    ]
    certificate: dict[str, Any] = {
        "name": f"OCOP {listing.stars} sao",
        "certificationStatus": "https://schema.org/CertificationActive"
        if in_force
        else "https://schema.org/CertificationInactive",
        "validFrom": listing.valid_from.isoformat(),
        "expires": listing.valid_to.isoformat(),
    }
    if listing.certificate_number or decision_number:
        certificate["certificationIdentification"] = listing.certificate_number or decision_number
    json_ld = seo.product_json_ld(
        name=name,
        url=canonical,
        description=description or product.story,
        images=[request.build_absolute_uri(url) for url in images],
        category=product.product_set.name if product.product_set is not None else listing.group_code,
        stars=listing.stars,
        brand={"@type": "Organization", "name": listing.entity_name, "url": entity_href},
        certificate=certificate,
        offers=offers,
        gtin=product.gtin,
    )
    point = None
    if listing.latitude is not None and listing.longitude is not None:
        point = selectors.project(listing.latitude, listing.longitude, 120, 224)
    stars_text = _("OCOP %(stars)s sao") % {"stars": listing.stars}
    return {
        "listing": listing,
        "product": product,
        "name": name,
        "description": description,
        "entity": entity,
        "entity_slug": slug_for(listing.entity_name),
        "images": images,
        "placeholder": static(PLACEHOLDER),
        "in_force": in_force,
        "decision_number": decision_number,
        "decision_date": decision_date,
        "place": place,
        "related": selectors.related_listings(listing),
        "answered": selectors.public_feedback(listing),
        "canonical": canonical,
        "point": point,
        "map_bg": selectors.map_background(120, 224, 6) if point else "",
        "where_to_buy": where_to_buy,
        "osm": (
            f"https://www.openstreetmap.org/?mlat={listing.latitude:.5f}&mlon={listing.longitude:.5f}"
            f"#map=13/{listing.latitude:.5f}/{listing.longitude:.5f}"
            if point
            else ""
        ),
        "share": seo.share(
            request,
            title=f"{name} — {stars_text}",
            description=f"{listing.entity_name} · {place.current}. "
            + (
                _("Giấy chứng nhận còn hiệu lực đến %(day)s.")
                if in_force
                else _("Giấy chứng nhận đã hết hiệu lực %(day)s.")
            )
            % {"day": listing.valid_to.strftime("%d/%m/%Y")},
            image=images[0] if images else "",
            kind="product",
            json_ld=[json_ld],
            url=canonical,
        ),
    }
