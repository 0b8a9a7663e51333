#!/usr/bin/env bash
# Re-extract the extension's messages, merge them into every language's catalog and compile
# the .mo files that ship in the wheel. pybabel comes with Babel, which Sphinx depends on.
# Translate new or fuzzy entries in sphinxcontrib_lstmparams/locale/*/LC_MESSAGES/*.po, then run
# this again; tests/test_i18n.py fails while a catalog is stale or incomplete.
set -euo pipefail
cd "$(dirname "$0")/.."
locale=sphinxcontrib_lstmparams/locale
domain=sphinxcontrib_lstmparams
pybabel extract -k _ --no-location --project=sphinxcontrib-lstmparams -o "$locale/$domain.pot" \
    $(find sphinxcontrib_lstmparams -name "*.py" | sort)
pybabel update -i "$locale/$domain.pot" -d "$locale" -D "$domain" --no-fuzzy-matching
pybabel compile -d "$locale" -D "$domain" --statistics
