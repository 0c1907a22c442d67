#!/bin/sh
# The container's start: apply pending migrations (unless an init job does it:
# MIGRATE_ON_START=false), then run the app as PID 1's only child, so SIGTERM
# reaches it and it shuts down cleanly.
set -e
if [ "${MIGRATE_ON_START:-true}" = "true" ]; then
  npm run --silent setup
fi
# As `npm start`: a young generation of 8 MB semi-spaces keeps the peak memory
# under load ~30-90 MB lower at the same throughput (docs/benchmarks.md); an old
# space of at most 512 MB makes V8 grow the heap by smaller steps (peak RSS under
# load ~270-320 → ~215 MB, decision 0018). It is a hard limit: ten times the
# heap the app keeps under load, above the largest read it makes (docs/deployment.md).
exec node --max-semi-space-size=8 --max-old-space-size=512 build/index.js
