"""Single-column indexes that another index already leads (a foreign key first in a composite index, the
event's product first in its unique line constraint, its date first in event_date_kind_idx), and B-trees on
search keys that are only searched with "contains" (LIKE '%w%'), which no B-tree serves. Each cost every
write — an import of 20,000 rows wrote them all. Dropped without rebuilding the tables
(ocop.core.migration_ops)."""

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
