import pytest

from chatforge.data.records import Document
from chatforge.errors import ConfigError
from chatforge.rag.access import document_roles, load_rules


def _rules(tmp_path, text):
    (tmp_path / "access.yaml").write_text(text, encoding="utf-8")
    return load_rules(tmp_path / "access.yaml")


def test_first_matching_rule_wins_and_keeps_order(tmp_path):
    rules = _rules(
        tmp_path,
        'rules:\n  - glob: "finance/secret/**"\n    roles: [board]\n'
        '  - glob: "finance/**"\n    roles: [finance, board]\n',
    )
    assert document_roles(None, "finance/secret/x.md", rules, None)[0] == ["board"]
    assert document_roles(None, "finance/a/b.pdf", rules, None)[0] == ["finance", "board"]


def test_unlabelled_documents_fail_closed(tmp_path):
    rules = _rules(tmp_path, 'rules:\n  - glob: "public/**"\n    roles: [public]\n  - glob: "void/**"\n    roles: []\n')
    roles, why = document_roles(None, "hr/salaries.md", rules, None)
    assert roles is None and "--default-roles" in why
    assert document_roles(None, "void/x.md", rules, ["public"])[0] is None  # an explicit empty rule beats defaults
    assert document_roles(None, "hr/salaries.md", rules, ["staff"])[0] == ["staff"]


def test_front_matter_roles_when_no_rule(tmp_path):
    doc = Document("x.md", "x", "markdown", ["text"], {"roles": ["support", "finance"]})
    assert document_roles(doc, "x.md", [], None) == (["support", "finance"], "front matter")
    bad = Document("y.md", "y", "markdown", ["text"], {"roles": [""]})
    with pytest.raises(ConfigError):
        document_roles(bad, "y.md", [], None)


def test_malformed_access_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError):
        _rules(tmp_path, "rules:\n  - roles: [public]\n")
    with pytest.raises(ConfigError):
        _rules(tmp_path, "- glob: x\n")
