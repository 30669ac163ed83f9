"""The listing's own indexes on province and new_province (each leads its (…, valid_to) index), dropped
without rebuilding the table, which would lose its FTS5 triggers (ocop.core.migration_ops)."""

import django.db.models.deletion
from django.db import migrations, models

from ocop.core.migration_ops import field_index_dropped


class Migration(migrations.Migration):
    dependencies = [
        ("geography", "0001_initial"),
        ("portal", "0006_listing_redundant_indexes"),
    ]

    operations = [
        field_index_dropped(
            "portal",
            "portallisting",
            "new_province",
            models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="geography.adminunit",
            ),
        ),
        field_index_dropped(
            "portal",
            "portallisting",
            "province",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="geography.adminunit",
            ),
        ),
    ]
