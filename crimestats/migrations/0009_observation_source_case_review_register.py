"""Figures written from the ASB case review register get their own source, and the
catalogue gains the two statutory counts it lacked (thresholds not met, reviews with
recommendations); loading the catalogue again adds them and names the register as the
source of the community trigger measures (it updates by code)."""

from django.db import migrations, models

NEW_CODES = (
    "community-trigger-thresholds-not-met",
    "community-trigger-reviews-with-recommendations",
)


def add_measures(apps, schema_editor):
    from crimestats.catalogue import catalogue_load

    catalogue_load(apps.get_model("crimestats", "Measure"))


def remove_measures(apps, schema_editor):
    apps.get_model("crimestats", "Measure").objects.filter(code__in=NEW_CODES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("crimestats", "0008_marac_and_survey_measures"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalobservation",
            name="source",
            field=models.CharField(
                choices=[
                    ("form", "Entered in a data return"),
                    ("template", "Uploaded data template"),
                    ("policeuk", "police.uk street-level data"),
                    ("ons", "ONS Community Safety Partnership tables"),
                    ("case_reviews", "ASB case review register"),
                    ("demo", "Demonstration data"),
                ],
                default="form",
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="observation",
            name="source",
            field=models.CharField(
                choices=[
                    ("form", "Entered in a data return"),
                    ("template", "Uploaded data template"),
                    ("policeuk", "police.uk street-level data"),
                    ("ons", "ONS Community Safety Partnership tables"),
                    ("case_reviews", "ASB case review register"),
                    ("demo", "Demonstration data"),
                ],
                default="form",
                max_length=20,
            ),
        ),
        migrations.RunPython(add_measures, remove_measures),
    ]
