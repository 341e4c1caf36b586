"""Three measures seed 001 prints: the share of MARAC victims declaring a disability,
the share who are male, and residents unsure whether their area is safe. Loading the
catalogue again adds them (it updates by code, so nothing else changes)."""

from django.db import migrations

NEW_CODES = ("marac-disability-pct", "marac-male-pct", "residents-unsure-pct")


def add_measures(apps, schema_editor):
    from crimestats.catalogue import catalogue_load

    catalogue_load(apps.get_model("crimestats", "Measure"))


def remove_measures(apps, schema_editor):
    apps.get_model("crimestats", "Measure").objects.filter(code__in=NEW_CODES).delete()


class Migration(migrations.Migration):
    dependencies = [("crimestats", "0007_all_crime_group")]

    operations = [migrations.RunPython(add_measures, remove_measures)]
