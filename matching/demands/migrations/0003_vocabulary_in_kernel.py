"""Category and Certification moved to the kernel (kernel 0001): the listing's links follow them; no
table changes here."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("demands", "0002_trigram_search_indexes"),
        ("kernel", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="demand",
                    name="categories",
                    field=models.ManyToManyField(
                        related_name="demands", to="kernel.category", verbose_name="categories"
                    ),
                ),
                migrations.AlterField(
                    model_name="demand",
                    name="required_certifications",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="demands",
                        to="kernel.certification",
                        verbose_name="required certifications",
                    ),
                ),
            ],
        ),
    ]
