#!/usr/bin/env bash
# The load benchmark: publishes the app (Release), generates a database of 50,000 patients once
# (seed-demo, kept in the work folder for later runs), starts the app in Production mode on loopback,
# signs in, and drives each page with wrk. Prints a table and exits 1 when a target is missed.
#
#   tests/KneeClinic.Benchmarks/load.sh [--patients 50000] [--seed 42] [--seconds 15] [--warmup 8] [--connections 32]
#                                       [--work /tmp/kneeclinic-load] [--deep-row 48000] [--search mar]
#                                       [--only "case page,search"]   (just those pages, beside the static file)
#
# Needs wrk (Debian: apt-get install wrk). The database is kept in the work folder: delete it after a change
# to the generator or the schema.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

work=/tmp/kneeclinic-load
for ((i = 1; i <= $#; i++)); do
  if [[ ${!i} == --work ]]; then j=$((i + 1)); work=${!j}; fi
done

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
mkdir -p "$work"
echo "Publishing the app (Release) to $work/app ..."
# ReadyToRun: compiled ahead of time for this platform, as the container image is, so the start is not spent in the JIT.
dotnet publish src/KneeClinic.Web -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/app" -v q -nologo
dotnet build tests/KneeClinic.Benchmarks -c Release -v q -nologo
dotnet tests/KneeClinic.Benchmarks/bin/Release/net10.0/KneeClinic.Benchmarks.dll load --work "$work" "$@"
