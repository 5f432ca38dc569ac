#!/usr/bin/env bash
# `npm test`: the type-check runs beside jest rather than before it. Both start single-threaded
# (jest's globalSetup migrates the embedded database once), so on two cores they overlap for free.
set -u
npm run -s typecheck &
typecheck=$!
NODE_OPTIONS=--experimental-vm-modules npx jest "$@"
tests=$?
wait "$typecheck"
types=$?
if [ "$types" -ne 0 ]; then echo "npm test: the type-check failed (npm run typecheck)" >&2; fi
exit $((tests != 0 ? tests : types))
