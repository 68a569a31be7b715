"""`Proposal.shortlisted_at`: when a proposal was shortlisted, kept after a funding decision, so
a decided proposal can be shown as it stood before until its round announces the outcomes.
Proposals shortlisted or funded before this migration take their decision time (funding needs a
shortlisting first); not funded ones cannot tell and are shown as proposals."""

from django.db import migrations, models


def fill(apps, schema_editor):
    Proposal = apps.get_model("exchange", "Proposal")
    Proposal.objects.filter(stage__in=["shortlisted", "funded"]).update(
        shortlisted_at=models.F("decided_at")
    )


class Migration(migrations.Migration):
    dependencies = [("exchange", "0006_ballot_voter_is_member")]

    operations = [
        migrations.AddField(
            model_name="proposal",
            name="shortlisted_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
