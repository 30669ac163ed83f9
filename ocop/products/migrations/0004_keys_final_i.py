"""Folded keys recomputed for the final i/y rule (Sỹ = Sĩ, Kỳ = Kì…): ocop.core.text, issue 17."""

from django.db import migrations

from ocop.core.migration_ops import keys_refolded


class Migration(migrations.Migration):
    dependencies = [("products", "0003_redundant_indexes")]
    operations = [keys_refolded("products", "product", "name_key", "search_key")]
