"""The event's own indexes on product (it leads the unique line constraint) and on decision_date (it leads
event_date_kind_idx), dropped without rebuilding the table (ocop.core.migration_ops)."""

import django.db.models.deletion
from django.db import migrations, models

from ocop.core.migration_ops import field_index_dropped


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0002_event_reason_signer"),
        ("products", "0002_product_product_status_name_idx_and_more"),
    ]

    operations = [
        field_index_dropped(
            "certification",
            "recognitionevent",
            "decision_date",
            models.DateField(verbose_name="Ngày quyết định"),
        ),
        field_index_dropped(
            "certification",
            "recognitionevent",
            "product",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="events",
                to="products.product",
                verbose_name="Sản phẩm",
            ),
        ),
    ]
