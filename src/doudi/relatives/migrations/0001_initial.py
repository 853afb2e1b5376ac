# The relatives register, moved out of cases: its table (cases_cadrerelative) is kept, so the model is created in
# the migration state only (docs/decisions.md, "Apps split, tables kept").

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from doudi.core.moves import content_type_moved


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0006_cadrerelative_to_relatives'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('regions', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CadreRelative',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('cadre_name', models.CharField(max_length=50, verbose_name='工作人员姓名')),
                        ('cadre_role', models.CharField(choices=[('caseworker', '低保经办人员'), ('village_committee', '村（居）民委员会成员')], max_length=20, verbose_name='身份')),
                        ('relative_name', models.CharField(max_length=50, verbose_name='近亲属姓名')),
                        ('relative_id_number', models.CharField(db_index=True, max_length=18, verbose_name='近亲属身份证号码')),
                        ('kinship', models.CharField(choices=[('spouse', '配偶'), ('parent', '父母'), ('child', '子女'), ('sibling', '兄弟姐妹'), ('grandparent', '祖父母、外祖父母'), ('grandchild', '孙子女、外孙子女')], max_length=16, verbose_name='关系')),
                        ('recorded_at', models.DateTimeField(auto_now_add=True)),
                        ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='登记人')),
                        ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.region', verbose_name='任职区划')),
                    ],
                    options={
                        'verbose_name': '近亲属备案',
                        'verbose_name_plural': '近亲属备案',
                        'db_table': 'cases_cadrerelative',
                    },
                ),
            ],
            database_operations=[],
        ),
        content_type_moved('cases', 'relatives', 'cadrerelative'),
    ]
