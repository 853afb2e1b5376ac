# The working-day calendar moves from cases to core; its table stays (docs/decisions.md).

from django.db import migrations, models

from doudi.core.moves import content_type_moved


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0004_attachment'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='WorkingCalendarDay',
                    fields=[
                        ('date', models.DateField(primary_key=True, serialize=False, verbose_name='日期')),
                        ('is_working', models.BooleanField(verbose_name='工作日')),
                        ('name', models.CharField(blank=True, max_length=50, verbose_name='说明')),
                    ],
                    options={
                        'verbose_name': '工作日历',
                        'verbose_name_plural': '工作日历',
                        'db_table': 'cases_workingcalendarday',
                        'ordering': ['date'],
                    },
                ),
            ],
            database_operations=[],
        ),
        content_type_moved('cases', 'core', 'workingcalendarday'),
    ]
