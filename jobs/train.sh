#!/usr/bin/env bash
# jobs/train.sh CONFIG [--set key=value]... [--init-model DIR]
# Trains a network as CONFIG says; see README.md. Exit codes: 0 ok, 64 usage, 65 bad data,
# 66 input missing, 70 internal/diverged, 73 cannot write output, 78 bad config.
exec "$(dirname "$0")/_run.sh" io.sparkbackprop.cli.TrainJob "$@"
