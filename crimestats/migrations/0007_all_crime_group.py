"""All crime holds police.uk totals as well as the ONS total: its stored group says
where its figures come from instead of "Recorded crime (ONS offence groups)"."""

from django.db import migrations

OLD = "Recorded crime (ONS offence groups)"
NEW = "Recorded crime (all crime: police.uk crimes or the ONS total)"


def rename(apps, schema_editor):
    apps.get_model("crimestats", "Measure").objects.filter(code="all-crime", group=OLD).update(
        group=NEW
    )


def restore(apps, schema_editor):
    apps.get_model("crimestats", "Measure").objects.filter(code="all-crime", group=NEW).update(
        group=OLD
    )


class Migration(migrations.Migration):
    dependencies = [("crimestats", "0006_observation_published_rate")]

    operations = [migrations.RunPython(rename, restore)]
