"""The entity's own index on commune (it leads entity_commune_name_idx) and the B-tree on its search key,
which is only searched with "contains" (LIKE '%w%', no B-tree serves it); dropped without rebuilding the table."""

import django.db.models.deletion
from django.db import migrations, models

from ocop.core.migration_ops import field_index_dropped


class Migration(migrations.Migration):
    dependencies = [
        ("geography", "0001_initial"),
        ("producers", "0003_entity_entity_type_name_idx"),
    ]

    operations = [
        field_index_dropped(
            "producers",
            "entity",
            "commune",
            models.ForeignKey(
                db_index=False,
                limit_choices_to={"level": "commune"},
                on_delete=django.db.models.deletion.PROTECT,
                related_name="entities",
                to="geography.adminunit",
                verbose_name="Xã/phường",
            ),
        ),
        field_index_dropped(
            "producers",
            "entity",
            "search_key",
            models.CharField(default="", editable=False, max_length=600),
        ),
    ]
