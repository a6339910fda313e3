"""TradeCentre moved to the kernel (kernel 0001): the event's organising centre follows it; no table
changes here."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0015_event_form_token"),
        ("kernel", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="event",
                    name="organising_centre",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="kernel.tradecentre",
                        verbose_name="organising centre",
                    ),
                ),
            ],
        ),
    ]
