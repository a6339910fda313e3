"""TradeCentre moved to the kernel (kernel 0001): the user's link follows it; no table changes here."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_invitation_organisation"),
        ("kernel", "0001_initial"),
        ("consultations", "0016_trade_centre_in_kernel"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="user",
                    name="trade_centre",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="members",
                        to="kernel.tradecentre",
                        verbose_name="trade centre",
                    ),
                ),
                migrations.DeleteModel(name="TradeCentre"),
            ],
        ),
    ]
