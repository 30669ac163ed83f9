"""The map's products per commune of today (/ban-do/, issue 23): an index (new_commune, valid_to, valid_from)
that counts them in its own order; the foreign key's own index, which it leads, dropped without rebuilding the
table (that would lose its FTS5 triggers: ocop.core.migration_ops)."""

import django.db.models.deletion
from django.db import migrations, models

from ocop.core.migration_ops import field_index_dropped


class Migration(migrations.Migration):
    dependencies = [
        ("geography", "0001_initial"),
        ("portal", "0009_keys_final_i"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="portallisting",
            index=models.Index(fields=["new_commune", "valid_to", "valid_from"], name="listing_newcommune_idx"),
        ),
        field_index_dropped(
            "portal",
            "portallisting",
            "new_commune",
            models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="geography.adminunit",
            ),
        ),
    ]
