from django.db import migrations, models
from django.db.models import F


def mark_existing_told(apps, schema_editor):
    """Updates written before this field existed were handled by the old rule (told at once,
    or never): none is told again when the scheduled task first runs."""
    ProgressUpdate = apps.get_model("exchange", "ProgressUpdate")
    ProgressUpdate.objects.update(followers_told_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0009_proposal_lead_handover"),
    ]

    operations = [
        migrations.AddField(
            model_name="progressupdate",
            name="followers_told_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(mark_existing_told, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="progressupdate",
            index=models.Index(
                condition=models.Q(("followers_told_at__isnull", True)),
                fields=["created_at"],
                name="exchange_update_untold_idx",
            ),
        ),
    ]
