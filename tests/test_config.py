from pathlib import Path

import pytest

from chatforge.config import config_help, load_config, parse_override
from chatforge.data.prepare import PrepareConfig
from chatforge.errors import ConfigError


def test_yaml_then_set_overrides_take_precedence(tmp_path: Path):
    f = tmp_path / "c.yaml"
    f.write_text("augment: 2\ndedup:\n  near_threshold: 0.7\n  num_perm: 64\n")
    cfg = load_config(PrepareConfig, f, ["dedup.near_threshold=0.9", "filters.languages=[fr, en]"])
    assert cfg.augment == 2
    assert cfg.dedup.num_perm == 64
    assert cfg.dedup.near_threshold == 0.9
    assert cfg.filters.languages == ["fr", "en"]


def test_cli_values_override_file_but_none_keeps_file(tmp_path: Path):
    f = tmp_path / "c.yaml"
    f.write_text("augment: 3\nstrict: true\n")
    cfg = load_config(PrepareConfig, f, [], augment=None, strict=False)
    assert cfg.augment == 3 and cfg.strict is False


@pytest.mark.parametrize(
    "override,field",
    [
        ("dedup.near_threshold=1.5", "dedup.near_threshold"),
        ("augment=lots", "augment"),
        ("split.sead=3", "split.sead"),
        ("format=xml", "format"),
    ],
)
def test_invalid_values_fail_at_load_with_field_name(override, field):
    with pytest.raises(ConfigError) as err:
        load_config(PrepareConfig, None, [override])
    assert field in str(err.value)


def test_bad_override_syntax_and_missing_file(tmp_path: Path):
    with pytest.raises(ConfigError, match="key=value"):
        parse_override("augment")
    with pytest.raises(ConfigError, match="not found"):
        load_config(PrepareConfig, tmp_path / "nope.yaml")


def test_every_field_has_help_text():
    rows = config_help(PrepareConfig)
    assert len(rows) > 20
    assert all(help_text for _, _, help_text in rows), [n for n, _, h in rows if not h]
