#!/usr/bin/env bash
# The real-client tests (openstacksdk, python-novaclient, Huawei Cloud's Python SDK) against the
# emulated cloud of target/debug/ecs-password serve. Needs .venv (scripts/setup.sh) and the CLI
# built (cargo build -p ecs-password-cli).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PYTHONWARNINGS=ignore
exec .venv/bin/python -m unittest discover -s tests/clients -p 'test_*.py' -v "$@"
