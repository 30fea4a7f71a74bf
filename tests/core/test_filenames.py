"""Names every system can create, for archive entries and downloads."""

import pytest

from core.filenames import safe_name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("甲组容〔2026〕1号-关于张三的认定.pdf", "甲组容〔2026〕1号-关于张三的认定.pdf"),
        ('a<b>c:d"e/f\\g|h?i*j.pdf', "a_b_c_d_e_f_g_h_i_j.pdf"),
        ("x-<script>.pdf", "x-_script_.pdf"),
        ("tab\there\x00.pdf", "tab_here_.pdf"),
        ("name. ", "name"),
        ("CON.pdf", "_CON.pdf"),
        ("lpt1", "_lpt1"),
        ("", "file"),
        ("///", "file"),
    ],
)
def test_safe_name(name, expected):
    assert safe_name(name) == expected


def test_long_names_keep_their_extension():
    name = safe_name("长" * 300 + ".pdf")
    assert (len(name), name[-4:]) == (120, ".pdf")
    assert safe_name("x" * 50, max_length=10) == "x" * 10


def test_register_archive_entries_are_safe_on_windows():
    from types import SimpleNamespace

    from register.export import archive_path

    document = SimpleNamespace(
        pk=7, number="甲组容〔2026〕1号", year=2026, filename="关于/张三<script>?.pdf"
    )
    assert archive_path(document) == "documents/2026/甲组容〔2026〕1号-关于_张三_script__.pdf"
    long = SimpleNamespace(pk=8, number="甲组容〔2026〕2号", year=2026, filename="长" * 300)
    entry = archive_path(long).removeprefix("documents/2026/")
    assert len(entry) == 120 and entry.startswith("甲组容〔2026〕2号-")
