"""Folded keys recomputed for the final i/y rule (Sỹ = Sĩ, Kỳ = Kì…): ocop.core.text, issue 17."""

from django.db import migrations

from ocop.core.migration_ops import keys_refolded


class Migration(migrations.Migration):
    dependencies = [("portal", "0008_feedback_photo_private")]
    operations = [keys_refolded("portal", "portallisting", "name_key", "entity_key", "search_key")]
