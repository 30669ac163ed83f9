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
