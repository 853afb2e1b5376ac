# The working-day calendar moved to core (core 0001 takes over its table); nothing changes in the database.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0004_attachment'),
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='WorkingCalendarDay')],
            database_operations=[],
        ),
    ]
