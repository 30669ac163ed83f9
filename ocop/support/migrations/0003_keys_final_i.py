"""Folded search keys recomputed for the final i/y rule (Sỹ = Sĩ, Kỳ = Kì…): ocop.core.text, issue 17."""

from django.db import migrations

from ocop.core.migration_ops import keys_refolded

MODELS = (
    "trainingcourse",
    "consultinground",
    "intellectualproperty",
    "rawmaterialarea",
    "pointofsale",
    "tradefair",
    "ecommercelisting",
    "exportshipment",
    "entityyear",
)


class Migration(migrations.Migration):
    dependencies = [("support", "0002_annual_report")]
    operations = [keys_refolded("support", model, "search_key") for model in MODELS]
