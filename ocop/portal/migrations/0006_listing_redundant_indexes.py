"""Two listing indexes that served no query: entity (the foreign key has its own index) and a B-tree on the
800-character search key (searches go through FTS5 on SQLite, pg_trgm GIN on PostgreSQL). Every index
costs the import's listing refresh one write per row. RemoveIndex only: an AlterField here would make
SQLite rebuild the table and lose the FTS triggers of migration 0004."""


from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0005_portallisting_listing_group_stars_idx'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='portallisting',
            name='listing_entity_idx',
        ),
        migrations.RemoveIndex(
            model_name='portallisting',
            name='listing_search_key_idx',
        ),
    ]
