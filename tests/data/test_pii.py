from chatforge.data.pii import Redactor, iban_ok, luhn_ok


def test_luhn_and_iban_checks():
    assert luhn_ok("4111111111111111")
    assert not luhn_ok("4111111111111112")
    assert iban_ok("FR76 3000 6000 0112 3456 7890 189")
    assert not iban_ok("FR76 3000 6000 0112 3456 7890 188")


def test_planted_pii_is_redacted_with_typed_placeholders():
    text = (
        "Écrivez à marie.curie+vol@exemple.fr ou au 06 12 34 56 78 / +33 6 98 76 54 32. "
        "IBAN FR76 3000 6000 0112 3456 7890 189, carte 4111 1111 1111 1111."
    )
    out, counts = Redactor().redact(text)
    assert "[EMAIL]" in out and "exemple.fr" not in out
    assert out.count("[PHONE]") == 2
    assert "[IBAN]" in out and "FR76" not in out
    assert "[CARD]" in out and "4111" not in out
    assert counts == {"EMAIL": 1, "PHONE": 2, "IBAN": 1, "CARD": 1}


def test_numbers_failing_checksums_are_kept():
    text = "Commande 1234567812345678, IBAN FR76 3000 6000 0112 3456 7890 188, vol HA1234, 25 €."
    out, counts = Redactor().redact(text)
    assert out == text
    assert sum(counts.values()) == 0


def test_custom_pattern_and_disabled_types():
    r = Redactor(email=False, patterns={"booking": r"\b[A-Z0-9]{6}\b(?=\s*\(PNR\))"})
    out, counts = r.redact("PNR X7K2QA (PNR), mail a@b.fr")
    assert out == "PNR [BOOKING] (PNR), mail a@b.fr"
    assert counts == {"BOOKING": 1}


def test_allow_list_keeps_public_contacts():
    r = Redactor(allow=["02 40 00 12 34", "contact@hirondelle-air.example"])
    out, counts = r.redact("Appelez le 02.40.00.12.34 ou contact@hirondelle-air.example, pas le 06 11 22 33 44.")
    assert out == "Appelez le 02.40.00.12.34 ou contact@hirondelle-air.example, pas le [PHONE]."
    assert counts == {"PHONE": 1}


def test_one_component_from_config_redacts_rows_and_counts_by_type():
    from chatforge.data.pii import PIIConfig

    assert Redactor.from_config(PIIConfig(enabled=False)) is None
    r = Redactor.from_config(PIIConfig(allow=["contact@hirondelle-air.example"]))
    row = {
        "prompt": [{"role": "user", "content": "Carte 4970 1012 3456 7893, mail a.b@example.fr"}],
        "chosen": [{"role": "assistant", "content": "Écrivez à contact@hirondelle-air.example"}],
        "rejected": [{"role": "assistant", "content": "IBAN FR76 3000 6000 0112 3456 7890 189"}],
        "chosen_id": 4970101234567893,
        "label": True,
    }
    out = r.row(row)
    assert out["prompt"][0] == {"role": "user", "content": "Carte [CARD], mail [EMAIL]"}
    assert out["chosen"][0]["content"] == "Écrivez à contact@hirondelle-air.example"  # allow-listed
    assert out["rejected"][0]["content"] == "IBAN [IBAN]"
    assert out["chosen_id"] == 4970101234567893 and out["label"] is True  # ids and labels are not text
    assert row["prompt"][0]["content"].startswith("Carte 4970")  # the input row is left as it was
    r.text("appelez le 06 12 34 56 78")
    assert r.summary() == {"CARD": 1, "EMAIL": 1, "IBAN": 1, "PHONE": 1}
