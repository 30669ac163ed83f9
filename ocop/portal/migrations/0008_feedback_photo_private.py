# Feedback photos move to private storage under unguessable names (issue 18): until now they were public
# media at addresses made of the upload time.

import secrets
import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

import ocop.core.uploads
import ocop.portal.models


def move_photos_out_of_public_media(apps, schema_editor):
    """Every stored photo leaves MEDIA_ROOT for the private root, renamed; a missing file is left as is."""
    Feedback = apps.get_model("portal", "Feedback")
    public = Path(settings.MEDIA_ROOT)
    private = ocop.core.uploads.private_media_root()
    for item in Feedback.objects.exclude(photo="").only("pk", "photo", "product_id").iterator():
        source = public / item.photo.name
        if not source.is_file():
            continue
        name = f"feedback/{item.product_id}/{secrets.token_urlsafe(18)}.jpg"
        target = private / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(source, target)
        target.chmod(0o600)
        Feedback.objects.filter(pk=item.pk).update(photo=name)


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0007_province_redundant_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='feedback',
            name='photo',
            field=models.ImageField(blank=True, storage=ocop.core.uploads.private_storage, upload_to=ocop.portal.models.feedback_photo_path, verbose_name='Ảnh kèm theo'),
        ),
        migrations.RunPython(move_photos_out_of_public_media, migrations.RunPython.noop),
    ]
