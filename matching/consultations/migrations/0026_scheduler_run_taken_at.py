from django.db import migrations, models
from django.db.models import F


def taken_when_started(apps, schema_editor):
    """Runs from before this field were taken by a worker as they started (the reaper's rule until now)."""
    SchedulerRun = apps.get_model("consultations", "SchedulerRun")
    SchedulerRun.objects.filter(taken_at__isnull=True).update(taken_at=F("started_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0025_meeting_reminder"),
    ]

    operations = [
        migrations.AddField(
            model_name="schedulerrun",
            name="taken_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="taken by a worker"),
        ),
        migrations.RunPython(taken_when_started, migrations.RunPython.noop),
    ]
