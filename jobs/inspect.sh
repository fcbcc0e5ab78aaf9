#!/usr/bin/env bash
# jobs/inspect.sh --model DIR [--json]
# Prints a saved model's architecture, parameter count, training provenance and final metrics.
exec "$(dirname "$0")/_run.sh" io.sparkbackprop.cli.InspectJob "$@"
