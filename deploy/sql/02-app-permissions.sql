-- What the app login must not do to tables the migrator has created. Run by docker-compose's "app-permissions"
-- service as sa after the migrator has finished and before the web replicas start (the tables must exist to be
-- named here); safe to run again.

USE KneeClinic;
GO

-- The audit trail is append-only: the app adds entries and reads them, and may not change or remove one, even
-- before the table's own triggers would refuse it.
DENY UPDATE, DELETE ON OBJECT::dbo.AuditEntries TO kneeclinic_app;
GO

-- Which migrations have run is the migrator's record alone.
DENY INSERT, UPDATE, DELETE ON OBJECT::dbo.__EFMigrationsHistory TO kneeclinic_app;
GO
