#!/usr/bin/env bash
# Regenerates the EF Core compiled model of each provider (migrations/*/CompiledModel), which the app loads instead of
# building its model at every start. Run it from anywhere after changing the model (and adding its migrations); the
# test CompiledModels fails until it has been run. The old models are deleted first: after a change they may no
# longer compile, and the app builds without them (it then builds its model at start, as before).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
rm -rf migrations/KneeClinic.Migrations.Sqlite/CompiledModel migrations/KneeClinic.Migrations.SqlServer/CompiledModel
dotnet ef dbcontext optimize --project migrations/KneeClinic.Migrations.Sqlite --startup-project src/KneeClinic.Web \
  --output-dir CompiledModel --namespace KneeClinic.Migrations.Sqlite.CompiledModel -- --Database:Provider=Sqlite
dotnet ef dbcontext optimize --project migrations/KneeClinic.Migrations.SqlServer --startup-project src/KneeClinic.Web \
  --output-dir CompiledModel --namespace KneeClinic.Migrations.SqlServer.CompiledModel \
  -- --Database:Provider=SqlServer --ConnectionStrings:SqlServer="Server=.;Database=KneeClinic"
