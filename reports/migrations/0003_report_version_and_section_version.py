# The report's edit counter takes the name every versioned record uses
# (cspportal.lib.versioning), keeping its values; sections get their own.

from django.db import migrations, models

HELP = "Rises with every save; an edit names the one it began from."


def version_field():
    return models.PositiveIntegerField(default=1, editable=False, help_text=HELP)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_report_meeting"),
    ]

    operations = [
        migrations.RenameField(model_name="report", old_name="revision", new_name="version"),
        migrations.RenameField(model_name="historicalreport", old_name="revision", new_name="version"),
        migrations.AlterField(model_name="report", name="version", field=version_field()),
        migrations.AlterField(model_name="historicalreport", name="version", field=version_field()),
        migrations.AddField(model_name="reportsection", name="version", field=version_field()),
        migrations.AddField(
            model_name="historicalreportsection", name="version", field=version_field()
        ),
    ]
