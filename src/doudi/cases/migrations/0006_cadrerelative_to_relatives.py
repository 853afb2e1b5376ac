# The relatives register moved to its own app (relatives 0001 takes over the table); nothing changes in the database.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_workingcalendarday_to_core'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='CadreRelative')],
            database_operations=[],
        ),
    ]
