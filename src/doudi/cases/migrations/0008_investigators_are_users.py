"""Investigators become users who sign for themselves (issue 9). The free-text names typed before are kept in
``legacy_investigators``; a name that matches exactly one active account that may act on the case's village (its
display name or user name, with a grant on the village or one of its ancestors) becomes that account's signature,
dated when the record was entered if the form said it was signed. Names that match nobody, or more than one
account, stay only in ``legacy_investigators``: the paper form's signatures, never guessed onto an account."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

CHANGE_ROLES = ("village_assistant", "township_caseworker", "civil_affairs", "administrator")


def _ancestors(code: str) -> list[str]:
    # 2 province + 2 city + 2 county + 3 township + 3 village digits (regions.choices.PREFIX_LENGTH)
    return [code[:n].ljust(12, "0") for n in (2, 4, 6, 9, 12)]


def names_to_signatures(apps, schema_editor):
    Investigation = apps.get_model("cases", "Investigation")
    Signature = apps.get_model("cases", "InvestigationSignature")
    User = apps.get_model(settings.AUTH_USER_MODEL.split(".")[0], settings.AUTH_USER_MODEL.split(".")[1])
    Grant = apps.get_model("accounts", "RegionGrant")
    for inv in Investigation.objects.select_related("case").iterator():
        staff = Grant.objects.filter(role__in=CHANGE_ROLES, region_id__in=_ancestors(inv.case.region_id))
        users = User.objects.filter(pk__in=staff.values("user_id"), is_active=True)
        for entry in inv.legacy_investigators or []:
            name = str(entry.get("name", "")).strip()
            if not name:
                continue
            matches = list(users.filter(models.Q(display_name=name) | models.Q(username=name))[:2])
            if len(matches) == 1:
                Signature.objects.get_or_create(
                    investigation=inv, investigator=matches[0],
                    defaults={"signed_at": inv.recorded_at if entry.get("signed") else None},
                )


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0007_temporary_assistance_to_temporary'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('accounts', '0004_alter_user_department'),
    ]

    operations = [
        migrations.RenameField(model_name='investigation', old_name='investigators', new_name='legacy_investigators'),
        migrations.AlterField(
            model_name='investigation',
            name='legacy_investigators',
            field=models.JSONField(blank=True, default=list, verbose_name='调查人员（原手填姓名）'),
        ),
        migrations.CreateModel(
            name='InvestigationSignature',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('signed_at', models.DateTimeField(blank=True, null=True, verbose_name='签字时间')),
                ('investigation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='signatures', to='cases.investigation', verbose_name='调查记录')),
                ('investigator', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='调查人员')),
            ],
            options={
                'verbose_name': '调查人员签字',
                'verbose_name_plural': '调查人员签字',
                'ordering': ['investigation', 'id'],
                'constraints': [models.UniqueConstraint(fields=('investigation', 'investigator'), name='one_signature_per_investigator')],
            },
        ),
        migrations.RunPython(names_to_signatures, migrations.RunPython.noop),
    ]
