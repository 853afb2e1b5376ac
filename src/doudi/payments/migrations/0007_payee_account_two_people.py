"""A payee institution's account takes two people (issue 9): the institution keeps only a confirmed account, changes
are proposed and confirmed by a second person (``PayeeAccountChange``), and a settlement payroll refuses an
institution whose account nobody confirmed (``account_confirmed_at`` empty).

Institutions registered before this migration were paid on one person's registration. They are treated as
confirmed from their registration (``account_confirmed_at = created_at``, no confirming person, which the screen
shows as 上线前登记), so settlements already in progress are not stopped; any later change of their account takes
two people like every other. docs/decisions.md records this choice."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def legacy_accounts_confirmed(apps, schema_editor):
    PayeeInstitution = apps.get_model("payments", "PayeeInstitution")
    PayeeInstitution.objects.exclude(bank_account="").filter(account_confirmed_at=None).update(
        account_confirmed_at=models.F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('payments', '0006_payee_institution_settlement'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='payeeinstitution',
            name='account_confirmed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='账户复核时间'),
        ),
        migrations.AddField(
            model_name='payeeinstitution',
            name='account_confirmed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='账户复核人'),
        ),
        migrations.AlterField(
            model_name='payeeinstitution',
            name='account_holder',
            field=models.CharField(blank=True, max_length=100, verbose_name='户名'),
        ),
        migrations.AlterField(
            model_name='payeeinstitution',
            name='bank_account',
            field=models.CharField(blank=True, max_length=40, verbose_name='账号'),
        ),
        migrations.AlterField(
            model_name='payeeinstitution',
            name='bank_name',
            field=models.CharField(blank=True, max_length=100, verbose_name='开户行'),
        ),
        migrations.CreateModel(
            name='PayeeAccountChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('bank_name', models.CharField(blank=True, max_length=100, verbose_name='开户银行')),
                ('bank_account', models.CharField(blank=True, max_length=40, verbose_name='银行账号')),
                ('effective_on', models.DateField(verbose_name='变更日期')),
                ('document', models.CharField(max_length=200, verbose_name='变更依据')),
                ('status', models.CharField(choices=[('pending', '待复核'), ('confirmed', '已复核生效'), ('rejected', '已退回'), ('superseded', '已被新的变更取代')], default='pending', max_length=12, verbose_name='状态')),
                ('proposed_at', models.DateTimeField(auto_now_add=True, verbose_name='提交时间')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='复核时间')),
                ('note', models.CharField(blank=True, max_length=500, verbose_name='复核意见')),
                ('account_holder', models.CharField(blank=True, max_length=100, verbose_name='账户户名')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='复核人')),
                ('institution', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='account_changes', to='payments.payeeinstitution', verbose_name='收款机构')),
                ('proposed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='提交人')),
            ],
            options={
                'verbose_name': '收款机构账户变更',
                'verbose_name_plural': '收款机构账户变更',
                'ordering': ['-proposed_at', '-id'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('institution',), name='one_pending_payee_account_change')],
            },
        ),
        migrations.RunPython(legacy_accounts_confirmed, migrations.RunPython.noop),
    ]
