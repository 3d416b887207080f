"""The dashboards' refresh reads a quarter's messages and half a year's purchases from one
index each, never the wide rows, and an import's refresh of people's contact dates reads
their timelines from one index; the single-column indexes of the workspace and person keys
go, as the indexes starting with those keys serve every lookup they served.

The foreign keys' indexes are dropped by name (Django's names, the same on SQLite and
PostgreSQL) rather than by altering the fields: SQLite can only alter a field by copying its
whole table, twice here for each of two of the largest tables."""

import django.db.models.deletion
from django.db import migrations, models

# (model, field, table, column, the index Django made for the foreign key)
FOREIGN_KEY_INDEXES = [
    (
        "interaction",
        "person",
        "people_interaction",
        "person_id",
        "people_interaction_person_id_1864d2b1",
    ),
    (
        "interaction",
        "workspace",
        "people_interaction",
        "workspace_id",
        "people_interaction_workspace_id_562354e9",
    ),
    ("purchase", "person", "people_purchase", "person_id", "people_purchase_person_id_44f8c4cb"),
    (
        "purchase",
        "workspace",
        "people_purchase",
        "workspace_id",
        "people_purchase_workspace_id_f734215d",
    ),
]
RELATED = {"interaction": "interactions", "purchase": "purchases"}
TARGETS = {"person": "people.person", "workspace": "accounts.workspace"}


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_rate_count"),
        ("people", "0002_person_any_case_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="interaction", name="people_inte_person__9963aa_idx"),
        migrations.RemoveIndex(model_name="interaction", name="people_inte_workspa_3648b2_idx"),
        migrations.RemoveIndex(model_name="purchase", name="people_purc_workspa_d2923e_idx"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name=model,
                    name=field,
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name=RELATED[model],
                        to=TARGETS[field],
                    ),
                )
                for model, field, _, _, _ in FOREIGN_KEY_INDEXES
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{index}"',
                    reverse_sql=f'CREATE INDEX "{index}" ON "{table}" ("{column}")',
                )
                for _, _, table, column, index in FOREIGN_KEY_INDEXES
            ],
        ),
        migrations.AddIndex(
            model_name="interaction",
            index=models.Index(
                fields=["person", "-occurred_at", "handled_by"], name="interaction_timeline_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="interaction",
            index=models.Index(
                fields=[
                    "workspace",
                    "-occurred_at",
                    "person",
                    "direction",
                    "handled_by",
                    "handled_by_automation",
                    "thread_key",
                    "is_open",
                ],
                name="interaction_dashboard_idx",
                # PostgreSQL's index holds no row id of its own (SQLite's does): the refresh
                # joins the readings on it.
                include=["id"],
            ),
        ),
        migrations.AddIndex(
            model_name="purchase",
            index=models.Index(
                fields=["workspace", "purchased_on", "person", "location"],
                name="purchase_dashboard_idx",
            ),
        ),
    ]
