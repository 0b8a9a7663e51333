"""Translated labels, a shipped catalog that matches its source, nothing leaked into .pot files."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sphinx.testing.util import SphinxTestApp

import sphinxcontrib_lstmparams

LOCALE = Path(sphinxcontrib_lstmparams.__file__).parent / "locale"
GENERATED = ["Input weights W", "trainable parameters", "Multiply-accumulates", "input gate"]


@pytest.mark.sphinx("html", testroot="i18n", confoverrides={"language": "ja"})
def test_japanese_build_shows_japanese_labels(app: SphinxTestApp) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    for label in ("ゲート", "入力重み W", "再帰重み U", "合計", "忘却ゲート"):
        assert label in page
    assert "の学習可能なパラメーター数は <strong>4,457,472</strong> です。" in page
    assert "Input weights W" not in page


@pytest.mark.sphinx("gettext", testroot="i18n", srcdir="i18n-gettext")
def test_generated_text_stays_out_of_the_users_pot(app: SphinxTestApp) -> None:
    app.build()
    pot = (Path(app.outdir) / "index.pot").read_text(encoding="utf-8")
    assert 'msgid "The seed\'s layer"' in pot  # the author's own caption is theirs to translate
    for text in GENERATED:
        assert text not in pot


def test_compiled_catalog_matches_its_source() -> None:
    po_path = LOCALE / "ja" / "LC_MESSAGES" / "sphinxcontrib_lstmparams.po"
    with po_path.open("rb") as po_file:
        source = {m.id: m.string for m in read_po(po_file) if m.id}
    with po_path.with_suffix(".mo").open("rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)
    assert all(source.values()), [k for k, v in source.items() if not v]
    for msgid, msgstr in source.items():
        assert compiled.gettext(str(msgid)) == msgstr


def test_catalog_covers_every_message_in_the_template() -> None:
    with (LOCALE / "sphinxcontrib_lstmparams.pot").open("rb") as pot_file:
        template = {m.id for m in read_po(pot_file) if m.id}
    with (LOCALE / "ja" / "LC_MESSAGES" / "sphinxcontrib_lstmparams.po").open("rb") as po_file:
        translated = {m.id for m in read_po(po_file) if m.id}
    assert template == translated
