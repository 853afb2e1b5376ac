# Temporary assistance moved to its own app (temporary 0001 takes over the tables); nothing changes in the database.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0006_cadrerelative_to_relatives'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name='temporaryrequest', name='case'),
                migrations.DeleteModel(name='TemporaryPayment'),
                migrations.DeleteModel(name='TemporaryRequest'),
            ],
            database_operations=[],
        ),
    ]
