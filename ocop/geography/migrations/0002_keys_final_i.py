"""Folded keys recomputed for the final i/y rule (Sỹ = Sĩ, Kỳ = Kì…): ocop.core.text, issue 17."""

from django.db import migrations

from ocop.core.migration_ops import keys_refolded


class Migration(migrations.Migration):
    dependencies = [("geography", "0001_initial")]
    operations = [keys_refolded("geography", "adminunit", "search_key")]
