"""The moved vocabulary's tables take the kernel's names (kernel_category, kernel_certification,
kernel_tradecentre and its countries table), now that every app refers to the kernel's models."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("kernel", "0001_initial"),
        ("accounts", "0004_trade_centre_to_kernel"),
        ("companies", "0003_vocabulary_to_kernel"),
        ("consultations", "0016_trade_centre_in_kernel"),
    ]

    operations = [
        migrations.AlterModelTable(name="category", table=None),
        migrations.AlterModelTable(name="certification", table=None),
        migrations.AlterModelTable(name="tradecentre", table=None),
    ]
