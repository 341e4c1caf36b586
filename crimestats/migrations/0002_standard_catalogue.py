"""Load the standard measure catalogue so that every database, test databases
included, starts with it. Later changes to the catalogue get their own migration
calling ``catalogue_load`` again (it updates by code)."""

from django.db import migrations


def load_catalogue(apps, schema_editor):
    from crimestats.catalogue import catalogue_load

    catalogue_load(apps.get_model("crimestats", "Measure"))


class Migration(migrations.Migration):
    dependencies = [
        ("crimestats", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_catalogue, migrations.RunPython.noop),
    ]
