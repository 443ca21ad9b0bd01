"""L-03: the database itself refuses to change or remove an audit row, on SQLite and PostgreSQL."""

from django.db import migrations

from gongjian.kernel.migrations import _triggers


def forwards(apps, schema_editor):
    _triggers.install(schema_editor.connection)


def backwards(apps, schema_editor):
    _triggers.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("kernel", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
