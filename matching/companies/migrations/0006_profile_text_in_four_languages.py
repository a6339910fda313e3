"""Companies and solutions in Thai and Turkish too; a solution's problem and description in English (the
existing text, renamed) and, optionally, Korean, Thai and Turkish."""

from django.db import migrations, models
from django.db.models import Q

LONG_TEXT = 5000
OTHER_LANGUAGES = (("ko", "Korean"), ("th", "Thai"), ("tr", "Turkish"))


class Migration(migrations.Migration):
    dependencies = [("companies", "0005_search_text_concepts")]

    operations = [
        *[
            migrations.AddField(
                model,
                f"name_{code}",
                models.CharField(blank=True, max_length=200, verbose_name=f"name ({name})"),
            )
            for model in ("company", "solution")
            for code, name in (("th", "Thai"), ("tr", "Turkish"))
        ],
        *[
            migrations.AddField(
                "company",
                f"description_{code}",
                models.TextField(blank=True, max_length=LONG_TEXT, verbose_name=f"description ({name})"),
            )
            for code, name in (("th", "Thai"), ("tr", "Turkish"))
        ],
        migrations.RenameField("solution", "problem_solved", "problem_solved_en"),
        migrations.RenameField("solution", "description", "description_en"),
        migrations.AlterField(
            "solution",
            "problem_solved_en",
            models.TextField(
                help_text="The city problem this solution addresses, in a few sentences.",
                max_length=LONG_TEXT,
                verbose_name="problem solved (English)",
            ),
        ),
        migrations.AlterField(
            "solution",
            "description_en",
            models.TextField(blank=True, max_length=LONG_TEXT, verbose_name="description (English)"),
        ),
        *[
            migrations.AddField(
                "solution",
                f"problem_solved_{code}",
                models.TextField(blank=True, max_length=LONG_TEXT, verbose_name=f"problem solved ({name})"),
            )
            for code, name in OTHER_LANGUAGES
        ],
        *[
            migrations.AddField(
                "solution",
                f"description_{code}",
                models.TextField(blank=True, max_length=LONG_TEXT, verbose_name=f"description ({name})"),
            )
            for code, name in OTHER_LANGUAGES
        ],
        migrations.AddConstraint(
            "solution",
            models.CheckConstraint(
                condition=~Q(problem_solved_en=""),
                name="solution_problem_solved_in_english",
                violation_error_message="Say in English which city problem the solution solves.",
            ),
        ),
    ]
