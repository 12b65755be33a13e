"""Load the municipality master (47 prefectures, 1,788 local governments, 175 wards) from `japancode`."""

from django.db import migrations


def load(apps, schema_editor):
    from tsunagu.municipalities.services import municipality_master_load

    municipality_master_load(
        prefecture_model=apps.get_model("municipalities", "Prefecture"),
        municipality_model=apps.get_model("municipalities", "Municipality"),
        ward_model=apps.get_model("municipalities", "Ward"),
        using=schema_editor.connection.alias,
    )


def unload(apps, schema_editor):
    from tsunagu.municipalities.services import municipality_master_unload

    municipality_master_unload(
        prefecture_model=apps.get_model("municipalities", "Prefecture"),
        municipality_model=apps.get_model("municipalities", "Municipality"),
        ward_model=apps.get_model("municipalities", "Ward"),
        using=schema_editor.connection.alias,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("municipalities", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
