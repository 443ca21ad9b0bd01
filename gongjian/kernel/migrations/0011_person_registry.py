# An ID number is unique per county registry instead of in the whole system (ADR 0026): every
# person gets the county of her organisation (the first six digits of its place's division
# code), and the unique constraint moves from (id_number_index) to (registry, id_number_index).
# Both vendors, both directions; going back refuses while one number is registered in two
# counties, since the old constraint could not hold.

from django.db import migrations, models

import gongjian.kernel.fields


def fill_registry(apps, schema_editor):
    Organization = apps.get_model("kernel", "Organization")
    Person = apps.get_model("kernel", "Person")
    by_county: dict[str, list[int]] = {}
    for pk, code in Organization.objects.values_list("id", "region__code"):
        by_county.setdefault(code[:6], []).append(pk)
    for county, org_ids in by_county.items():
        for start in range(0, len(org_ids), 500):
            Person.objects.filter(organization_id__in=org_ids[start : start + 500]).update(registry=county)


def refuse_if_registered_twice(apps, schema_editor):
    Person = apps.get_model("kernel", "Person")
    twice = (Person.objects.exclude(id_number_index="").values("id_number_index")
             .annotate(n=models.Count("id")).filter(n__gt=1))
    if twice.exists():
        raise RuntimeError(
            f"{twice.count()} ID number(s) are registered in more than one county: the system-wide "
            "unique constraint of migration 0009 cannot be put back until they are merged.")


class Migration(migrations.Migration):

    dependencies = [
        ("kernel", "0010_admin_role_requests"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="registry",
            field=gongjian.kernel.fields.RegistryField(
                blank=True, default="", editable=False, max_length=6, source="organization",
                verbose_name="登记县"),
        ),
        migrations.RunPython(fill_registry, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                condition=models.Q(("id_number_index", ""), _negated=True),
                fields=("registry", "id_number_index"), name="person_unique_id_number_in_registry"),
        ),
        migrations.RemoveConstraint(
            model_name="person",
            name="person_unique_id_number",
        ),
        # Runs first when going back: the old constraint cannot hold over duplicates.
        migrations.RunPython(migrations.RunPython.noop, refuse_if_registered_twice),
    ]
