"""The product's own indexes on commune, entity and group_code (each leads a composite index) and the B-tree
on its search key, only searched with "contains" (LIKE '%w%', no B-tree serves it); dropped without
rebuilding the table (ocop.core.migration_ops)."""

import django.db.models.deletion
from django.db import migrations, models

from ocop.core.migration_ops import field_index_dropped


class Migration(migrations.Migration):
    dependencies = [
        ("geography", "0001_initial"),
        ("producers", "0004_redundant_indexes"),
        ("products", "0002_product_product_status_name_idx_and_more"),
    ]

    operations = [
        field_index_dropped(
            "products",
            "product",
            "commune",
            models.ForeignKey(
                db_index=False,
                limit_choices_to={"level": "commune"},
                on_delete=django.db.models.deletion.PROTECT,
                related_name="products",
                to="geography.adminunit",
                verbose_name="Xã/phường",
            ),
        ),
        field_index_dropped(
            "products",
            "product",
            "entity",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="products",
                to="producers.entity",
                verbose_name="Chủ thể",
            ),
        ),
        field_index_dropped(
            "products",
            "product",
            "group_code",
            models.CharField(blank=True, max_length=5, verbose_name="Nhóm (I–VI)"),
        ),
        field_index_dropped(
            "products",
            "product",
            "search_key",
            models.CharField(default="", editable=False, max_length=800),
        ),
    ]
