#!/usr/bin/env bash
# jobs/evaluate.sh --model DIR --input PATH [--format F] [--output FILE] [--label COL] [--overwrite]
# Prints the model's metrics on labelled data as JSON; see docs/predict-and-evaluate.md. Exit codes:
# 0 ok, 64 usage, 65 bad data, 66 input missing, 70 internal, 73 cannot write output.
exec "$(dirname "$0")/_run.sh" io.sparkbackprop.cli.EvaluateJob "$@"
