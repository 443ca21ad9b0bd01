"""T-01: the database refuses to change a published row; search: FTS5 or a GIN index."""

from django.db import migrations

from gongjian.disclosure.migrations import _sql


def forwards(apps, schema_editor):
    _sql.run(schema_editor.connection, forwards=True)


def backwards(apps, schema_editor):
    _sql.run(schema_editor.connection, forwards=False)


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
