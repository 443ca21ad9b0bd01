# The blind indexes lose the index of their own (and, on PostgreSQL, the varchar_pattern_ops
# "_like" index Django adds beside it, which a digest never needs) for named indexes in
# Person.Meta.indexes. Written by hand: Django's AlterField(db_index=False) drops every
# single-column b-tree index on the column that is not in Meta.indexes, and on PostgreSQL that
# includes the partial unique index of the person_unique_id_number constraint.

import gongjian.kernel.fields
from django.db import migrations, models

OLD_INDEXES = {
    "id_number_index": "kernel_person_id_number_index_fcb47a75",
    "mobile_index": "kernel_person_mobile_index_90dc0dd8",
}


def create_sql(column: str) -> str:
    return f'CREATE INDEX "{OLD_INDEXES[column]}" ON "kernel_person" ("{column}");'


def field(purpose: str, source: str, db_index: bool) -> gongjian.kernel.fields.BlindIndexField:
    return gongjian.kernel.fields.BlindIndexField(
        blank=True, default="", editable=False, max_length=64, purpose=purpose, source=source,
        db_index=db_index,
    )


class Migration(migrations.Migration):

    dependencies = [
        ("kernel", "0007_person_organization_index_in_composite"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="person", name="id_number_index",
                    field=field("person.id_number", "id_number", db_index=False),
                ),
                migrations.AlterField(
                    model_name="person", name="mobile_index",
                    field=field("person.mobile", "mobile", db_index=False),
                ),
            ],
            database_operations=[
                # Each statement on its own: SQLite runs one statement per call.
                migrations.RunSQL(f'DROP INDEX IF EXISTS "{OLD_INDEXES[c]}{suffix}"',
                                  reverse_sql=create_sql(c) if not suffix else migrations.RunSQL.noop)
                for c in OLD_INDEXES for suffix in ("_like", "")
            ],
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["id_number_index"], name="person_id_number_index"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["mobile_index"], name="person_mobile_index"),
        ),
    ]
