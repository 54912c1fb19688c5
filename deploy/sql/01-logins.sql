-- The database and its two logins. Run by docker-compose's "logins" service as sa once SQL Server is healthy, before
-- the migrator; safe to run again on every start (it changes a password when the environment gives a new one).
--
--   kneeclinic_migrator  owns the KneeClinic database (db_owner): used only by the one-shot "migrator" service, which
--                        changes the schema and then exits.
--   kneeclinic_app       what the web replicas connect as: reads and writes rows in the dbo tables, nothing else.
--                        02-app-permissions.sql then forbids it to change or delete audit entries.
--
-- sqlcmd takes $(MigratorPassword) and $(AppPassword) from environment variables of the same names (docker-compose
-- sets them from KNEECLINIC_MIGRATOR_PASSWORD and KNEECLINIC_APP_PASSWORD), so no password is in this file or on a
-- command line. A password must not contain a single quote.

IF DB_ID(N'KneeClinic') IS NULL
    CREATE DATABASE KneeClinic;
GO

IF SUSER_ID(N'kneeclinic_migrator') IS NULL
    CREATE LOGIN kneeclinic_migrator WITH PASSWORD = N'$(MigratorPassword)', DEFAULT_DATABASE = KneeClinic, CHECK_POLICY = ON;
ELSE
    ALTER LOGIN kneeclinic_migrator WITH PASSWORD = N'$(MigratorPassword)';
GO

IF SUSER_ID(N'kneeclinic_app') IS NULL
    CREATE LOGIN kneeclinic_app WITH PASSWORD = N'$(AppPassword)', DEFAULT_DATABASE = KneeClinic, CHECK_POLICY = ON;
ELSE
    ALTER LOGIN kneeclinic_app WITH PASSWORD = N'$(AppPassword)';
GO

USE KneeClinic;
GO

IF USER_ID(N'kneeclinic_migrator') IS NULL
    CREATE USER kneeclinic_migrator FOR LOGIN kneeclinic_migrator;
GO

IF USER_ID(N'kneeclinic_app') IS NULL
    CREATE USER kneeclinic_app FOR LOGIN kneeclinic_app;
GO

-- The migrator creates and changes tables, indexes and the audit trail's triggers.
ALTER ROLE db_owner ADD MEMBER kneeclinic_migrator;
GO

-- Rows of every table in dbo, including tables a later migration adds: no ALTER, no CONTROL, no EXECUTE, no role.
GRANT SELECT, INSERT, UPDATE, DELETE ON SCHEMA::dbo TO kneeclinic_app;
GO
