#!/usr/bin/env bash
# jobs/predict.sh --model DIR --input PATH [--format F] --output PATH [--output-format F] [--overwrite]
# Writes the input's columns plus prediction columns; see docs/predict-and-evaluate.md. Exit codes:
# 0 ok, 64 usage, 65 bad data, 66 input missing, 70 internal, 73 cannot write output.
exec "$(dirname "$0")/_run.sh" io.sparkbackprop.cli.PredictJob "$@"
