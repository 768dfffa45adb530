#!/usr/bin/env bash
# 安装全部依赖（含 LibreOffice、字体、测试工具）并运行 ruff、mypy 与全部测试。
# Sets everything up (system packages, fonts, pinned dev deps) and runs lint, type check + tests.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh --dev
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy  # strict type check of bulletin_kit/ (pyproject.toml [tool.mypy])
.venv/bin/python -m pytest "$@"
