#!/usr/bin/env bash
# The test command: installs what is missing, starts a private RabbitMQ node and Azurite on
# loopback ports of their own, runs every test project, prints "N passed, N failed, N skipped",
# and stops both services (also on failure). Exit code: non-zero on any failure.
#   ./test.sh                 all tests
#   ./test.sh --filter EXPR   passed through to dotnet test (e.g. --filter "FullyQualifiedName~Imaging")
set -euo pipefail
cd "$(dirname "$0")"
repo=$(pwd)

scripts/install-prerequisites.sh
# shellcheck source=scripts/test-services.sh
source scripts/test-services.sh
trap stop_test_services EXIT
trap 'exit 130' INT TERM
start_test_services

# Under CI=true a test that needs a missing service or data set fails instead of skipping.
if [ "${CI:-}" = "true" ]; then export LABELFREE_SERVICES_REQUIRED=1; fi

results="$repo/TestResults"
rm -rf "$results"
dotnet build LabelFree.sln -c Release -nologo -clp:ErrorsOnly

status=0
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" "$@" || status=$?
done

# dotnet test prints no plain "N passed, N failed" line; add it up from the TRX files.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + $(value notExecuted)))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
