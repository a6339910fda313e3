"""Category and Certification moved to the kernel (kernel 0001): the company's and the solution's links
follow them, then companies forgets the two models; no table changes here."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0002_company_directory_index"),
        ("kernel", "0001_initial"),
        ("demands", "0003_vocabulary_in_kernel"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="company",
                    name="certifications",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="companies",
                        to="kernel.certification",
                        verbose_name="certifications",
                    ),
                ),
                migrations.AlterField(
                    model_name="solution",
                    name="categories",
                    field=models.ManyToManyField(
                        related_name="solutions", to="kernel.category", verbose_name="categories"
                    ),
                ),
                migrations.DeleteModel(name="Category"),
                migrations.DeleteModel(name="Certification"),
            ],
        ),
    ]
