# Temporary assistance with the township reserve fund, moved out of cases (the request and its payments) and out of
# the funds app, which no longer exists. Every table keeps its name (cases_temporary*, funds_*), so the models are
# created in the migration state only; ``tables_ensured`` then creates whatever this database lacks: nothing in a
# database built before the move, the fund tables and the payment's fund link in a new one (docs/decisions.md).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from doudi.core.moves import content_type_moved, tables_ensured


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0007_temporary_assistance_to_temporary'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('regions', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ReserveFund',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('balance_fen', models.BigIntegerField(default=0, verbose_name='余额（分）')),
                        ('low_balance_fen', models.BigIntegerField(default=5000000, verbose_name='余额预警线（分）')),
                        ('low_alert_open', models.BooleanField(default=False, verbose_name='余额不足预警中')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('region', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='reserve_fund', to='regions.region', verbose_name='乡镇（街道）')),
                    ],
                    options={
                        'verbose_name': '临时救助备用金',
                        'verbose_name_plural': '临时救助备用金',
                        'db_table': 'funds_reservefund',
                    },
                ),
                migrations.CreateModel(
                    name='FundMovement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('top_up', '拨付补充'), ('draw', '先行救助支出')], max_length=8, verbose_name='类型')),
                        ('amount_fen', models.BigIntegerField(verbose_name='金额（分）')),
                        ('balance_after_fen', models.BigIntegerField(verbose_name='变动后余额（分）')),
                        ('note', models.CharField(blank=True, max_length=200, verbose_name='说明')),
                        ('at', models.DateTimeField(auto_now_add=True, verbose_name='时间')),
                        ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='经办人')),
                        ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.case', verbose_name='案件')),
                        ('fund', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='movements', to='temporary.reservefund', verbose_name='备用金')),
                    ],
                    options={
                        'verbose_name': '备用金收支',
                        'verbose_name_plural': '备用金收支',
                        'db_table': 'funds_fundmovement',
                        'ordering': ['-at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='FundAlert',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('balance_fen', models.BigIntegerField(verbose_name='预警时余额（分）')),
                        ('raised_at', models.DateTimeField(auto_now_add=True, verbose_name='预警时间')),
                        ('cleared_at', models.DateTimeField(blank=True, null=True, verbose_name='解除时间')),
                        ('fund', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='alerts', to='temporary.reservefund', verbose_name='备用金')),
                    ],
                    options={
                        'verbose_name': '备用金预警',
                        'verbose_name_plural': '备用金预警',
                        'db_table': 'funds_fundalert',
                        'ordering': ['-raised_at'],
                    },
                ),
                migrations.CreateModel(
                    name='TemporaryRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('type', models.CharField(choices=[('emergency', '急难型'), ('expenditure', '支出型')], max_length=12, verbose_name='类型')),
                        ('cause', models.CharField(choices=[('fire', '火灾'), ('traffic', '交通事故'), ('accident', '其他意外事件'), ('sudden_illness', '突发重大疾病'), ('serious_illness', '医疗支出'), ('education', '教育支出'), ('other', '其他特殊困难')], max_length=20, verbose_name='原因')),
                        ('requested_fen', models.BigIntegerField(verbose_name='申请金额（分）')),
                        ('approved_fen', models.BigIntegerField(blank=True, null=True, verbose_name='核定金额（分）')),
                        ('stages', models.PositiveSmallIntegerField(default=1, verbose_name='分阶段救助次数')),
                        ('occurred_on', models.DateField(blank=True, null=True, verbose_name='急难发生日期')),
                        ('conference_minutes', models.FileField(blank=True, upload_to='cases/conference/%Y/', verbose_name='一事一议会议纪要')),
                        ('conference_held_on', models.DateField(blank=True, null=True, verbose_name='一事一议日期')),
                        ('paperwork_completed_on', models.DateField(blank=True, null=True, verbose_name='补齐手续日期')),
                        ('case', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='temporary', to='cases.case', verbose_name='案件')),
                    ],
                    options={
                        'verbose_name': '临时救助申请',
                        'verbose_name_plural': '临时救助申请',
                        'db_table': 'cases_temporaryrequest',
                    },
                ),
                migrations.CreateModel(
                    name='TemporaryPayment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('stage', models.PositiveSmallIntegerField(verbose_name='阶段')),
                        ('amount_fen', models.BigIntegerField(verbose_name='金额（分）')),
                        ('paid_at', models.DateTimeField(verbose_name='发放时间')),
                        ('from_reserve', models.BooleanField(default=False, verbose_name='备用金先行支付')),
                        ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='payments', to='cases.case', verbose_name='案件')),
                        ('movement', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='payment', to='temporary.fundmovement', verbose_name='备用金支出')),
                        ('paid_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='经办人')),
                    ],
                    options={
                        'verbose_name': '临时救助发放',
                        'verbose_name_plural': '临时救助发放',
                        'db_table': 'cases_temporarypayment',
                        'constraints': [models.UniqueConstraint(fields=('case', 'stage'), name='unique_payment_stage')],
                    },
                ),
            ],
            database_operations=[],
        ),
        tables_ensured(
            'temporary.ReserveFund', 'temporary.FundMovement', 'temporary.FundAlert', 'temporary.TemporaryRequest',
            'temporary.TemporaryPayment',
        ),
        content_type_moved('funds', 'temporary', 'reservefund', 'fundmovement', 'fundalert'),
        content_type_moved('cases', 'temporary', 'temporaryrequest', 'temporarypayment'),
    ]
