"""The shared vocabulary moves to the kernel: TradeCentre from accounts, Category and Certification from
companies. Only Django's idea of the models moves here (their tables keep their rows; 0002 renames them),
and their content types follow, so admin history and permissions stay attached."""

import django.db.models.deletion
from django.db import migrations, models

MOVED = {"tradecentre": "accounts", "category": "companies", "certification": "companies"}


def content_types_to_kernel(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    for model, app_label in MOVED.items():
        content_types.objects.filter(app_label=app_label, model=model).update(app_label="kernel")


def content_types_back(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    for model, app_label in MOVED.items():
        content_types.objects.filter(app_label="kernel", model=model).update(app_label=app_label)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("geo", "0001_initial"),
        ("accounts", "0003_invitation_organisation"),
        ("companies", "0002_company_directory_index"),
    ]

    operations = [
        migrations.RunPython(content_types_to_kernel, content_types_back),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Category',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('slug', models.SlugField(unique=True, verbose_name='slug')),
                        ('name_en', models.CharField(max_length=100, verbose_name='name (English)')),
                        ('name_ko', models.CharField(max_length=100, verbose_name='name (Korean)')),
                        ('sort_order', models.PositiveSmallIntegerField(default=0, verbose_name='sort order')),
                    ],
                    options={
                        'db_table': 'companies_category',
                        'verbose_name': 'solution category',
                        'verbose_name_plural': 'solution categories',
                        'ordering': ['sort_order', 'name_en'],
                    },
                ),
                migrations.CreateModel(
                    name='Certification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.SlugField(unique=True, verbose_name='code')),
                        ('name_en', models.CharField(max_length=150, verbose_name='name (English)')),
                        ('name_ko', models.CharField(max_length=150, verbose_name='name (Korean)')),
                    ],
                    options={
                        'db_table': 'companies_certification',
                        'verbose_name': 'certification',
                        'verbose_name_plural': 'certifications',
                        'ordering': ['name_en'],
                    },
                ),
                migrations.CreateModel(
                    name='TradeCentre',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.SlugField(max_length=30, unique=True, verbose_name='code')),
                        ('name_en', models.CharField(max_length=150, verbose_name='name (English)')),
                        ('name_ko', models.CharField(max_length=150, verbose_name='name (Korean)')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                        ('city', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='geo.city', verbose_name='city')),
                        ('countries', models.ManyToManyField(help_text='Staff of the centre approve organisations and run events in these countries.', related_name='trade_centres', to='geo.country', verbose_name='countries covered')),
                    ],
                    options={
                        'db_table': 'accounts_tradecentre',
                        'verbose_name': 'KOTRA trade centre',
                        'verbose_name_plural': 'KOTRA trade centres',
                        'ordering': ['name_en'],
                    },
                ),
            ],
        ),
    ]
