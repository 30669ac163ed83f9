"""Fill the public listing from the certificates already recorded (databases older than the portal)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Certificate = apps.get_model("certification", "Certificate")
    if not Certificate.objects.exists():
        return
    from ocop.portal.services.listing import listing_rebuild

    listing_rebuild()


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_search_indexes")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
