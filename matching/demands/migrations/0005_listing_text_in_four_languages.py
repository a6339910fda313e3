"""A listing's title and problem statement in English (the existing text, renamed) and, optionally, in
Korean, Thai and Turkish."""

from django.db import migrations, models
from django.db.models import Q

LONG_TEXT = 5000


def text_field(label, blank=True):
    return models.TextField(label, max_length=LONG_TEXT, blank=blank)


class Migration(migrations.Migration):
    dependencies = [("demands", "0004_search_text_concepts")]

    operations = [
        migrations.RenameField("demand", "title", "title_en"),
        migrations.RenameField("demand", "problem", "problem_en"),
        migrations.AlterField(
            "demand", "title_en", models.CharField(max_length=200, verbose_name="title (English)")
        ),
        migrations.AlterField(
            "demand",
            "problem_en",
            models.TextField(max_length=LONG_TEXT, verbose_name="problem statement (English)"),
        ),
        *[
            migrations.AddField(
                "demand",
                f"title_{code}",
                models.CharField(blank=True, max_length=200, verbose_name=f"title ({name})"),
            )
            for code, name in (("ko", "Korean"), ("th", "Thai"), ("tr", "Turkish"))
        ],
        *[
            migrations.AddField(
                "demand",
                f"problem_{code}",
                models.TextField(blank=True, max_length=LONG_TEXT, verbose_name=f"problem statement ({name})"),
            )
            for code, name in (("ko", "Korean"), ("th", "Thai"), ("tr", "Turkish"))
        ],
        migrations.AddConstraint(
            "demand",
            models.CheckConstraint(
                condition=~Q(title_en="") & ~Q(problem_en=""),
                name="demand_english_text_given",
                violation_error_message="Give the listing's title and problem statement in English.",
            ),
        ),
        *[
            migrations.AddConstraint(
                "demand",
                models.CheckConstraint(
                    condition=Q(**{f"title_{code}": ""}, **{f"problem_{code}": ""})
                    | (~Q(**{f"title_{code}": ""}) & ~Q(**{f"problem_{code}": ""})),
                    name=f"demand_{code}_text_complete",
                ),
            )
            for code in ("ko", "th", "tr")
        ],
    ]
