import random

from chatforge.data.dedup import NearDuplicateIndex, dedup_key, jaccard
from chatforge.data.split import assign_split


def test_dedup_key_ignores_case_accents_punctuation():
    assert dedup_key("Réservation, SVP !") == dedup_key("reservation svp")


def test_near_duplicates_grouped_unrelated_not():
    idx = NearDuplicateIndex(threshold=0.7, num_perm=128)
    a = "Bonjour, combien coûte un bagage supplémentaire en soute sur un vol vers Lyon ?"
    b = "Bonjour combien coute un bagage supplementaire en soute sur un vol pour Lyon ?"
    c = "Quel est le programme de fidélité de la compagnie et comment gagner des points ?"
    assert jaccard(a, b) > 0.7 > jaccard(a, c)
    ia, ma = idx.add(dedup_key(a))
    ib, mb = idx.add(dedup_key(b))
    ic, mc = idx.add(dedup_key(c))
    assert ma is None and mb == ia and mc is None
    assert idx.group(ib) == idx.group(ia) != idx.group(ic)


def test_groups_merge_transitively():
    idx = NearDuplicateIndex(threshold=0.6, num_perm=256)
    base = "le vol de nantes vers porto part tous les jours a dix heures du matin depuis le terminal"
    v1 = base.replace("dix", "onze")
    v2 = v1.replace("matin", "soir")
    ids = [idx.add(dedup_key(t))[0] for t in (base, v1, v2)]
    assert len({idx.group(i) for i in ids}) == 1


def test_split_is_deterministic_and_follows_ratios():
    keys = [f"group-{i}" for i in range(4000)]
    first = [assign_split(k, 7, 0.1, 0.2) for k in keys]
    assert first == [assign_split(k, 7, 0.1, 0.2) for k in keys]
    assert first != [assign_split(k, 8, 0.1, 0.2) for k in keys]
    share = {s: first.count(s) / len(first) for s in ("train", "val", "test")}
    assert abs(share["val"] - 0.1) < 0.02 and abs(share["test"] - 0.2) < 0.02
    random.Random(0).shuffle(keys)
    assert {k: assign_split(k, 7, 0.1, 0.2) for k in keys} == dict(
        zip(sorted(keys, key=lambda k: int(k.split("-")[1])), first)
    )
