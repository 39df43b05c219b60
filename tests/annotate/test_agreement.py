"""Agreement figures against values computed by hand on crafted judgements."""

import math

import numpy as np
import pytest

from chatforge.annotate.agreement import cohen_pairs, fleiss_kappa, item_tau, kendall_tau
from chatforge.annotate.campaign import assign
from chatforge.annotate.queue import JudgementIn, submit
from chatforge.annotate.report import build_report
from chatforge.store.annotation import Item


def test_kendall_tau_by_hand():
    abcd = list("ABCD")
    one, two, three = [["A"], ["B"], ["C"], ["D"]], [["B"], ["A"], ["C"], ["D"]], [["A"], ["B"], ["D"], ["C"]]
    # 6 pairs of answers; one vs two disagree on (A,B) only: (5 - 1) / 6
    assert kendall_tau(one, two, abcd) == pytest.approx(4 / 6)
    # one vs three: (C,D) discordant -> 4/6; two vs three: (A,B) and (C,D) -> 2/6; mean of the 3 pairs = 5/9
    assert item_tau([one, two, three], abcd) == pytest.approx(5 / 9)
    # tau-b with a tie: A>B>C vs A=B>C: concordant (A,C), (B,C); (A,B) tied on one side only.
    # (2 - 0) / sqrt((3 - 0) * (3 - 1)) = 2 / sqrt(6)
    assert kendall_tau([["A"], ["B"], ["C"]], [["A", "B"], ["C"]], list("ABC")) == pytest.approx(2 / math.sqrt(6))
    assert kendall_tau([["A", "B", "C"]], [["A"], ["B"], ["C"]], list("ABC")) is None  # all tied: undefined


def test_cohen_and_fleiss_kappa_by_hand():
    # 10 units: both flag 2, neither 5, only a 2, only b 1. po = 7/10; pa = 4/10, pb = 3/10;
    # pe = .4 * .3 + .6 * .7 = .54; kappa = (.7 - .54) / (1 - .54) = .16 / .46
    a = [1, 1, 0, 0, 0, 0, 0, 1, 1, 0]
    b = [1, 1, 0, 0, 0, 0, 0, 0, 0, 1]
    units = {i: {"a": x, "b": y} for i, (x, y) in enumerate(zip(a, b))}
    assert cohen_pairs(units)["pairs"]["a|b"] == pytest.approx(0.16 / 0.46, abs=1e-4)
    # Fleiss, 3 raters, 4 units [no, yes] counts: P_i = 1, 1, 1/3, 1/3 -> P = 2/3; p = (1/2, 1/2) -> Pe = 1/2;
    # kappa = (2/3 - 1/2) / (1 - 1/2) = 1/3
    assert fleiss_kappa(np.array([[3, 0], [0, 3], [2, 1], [1, 2]])) == pytest.approx(1 / 3)
    assert fleiss_kappa(np.array([[3, 0], [2, 0]])) is None  # unequal raters per unit: not defined


def test_report_agreement_on_a_crafted_campaign(store, review_campaign):
    review_campaign()
    assert assign(store, "review", ["alice", "bob"]) == 6
    with store.session() as s:
        items = [it.id for it in s.query(Item).order_by(Item.id)]
        alice, bob = store.user("alice", s).id, store.user("bob", s).id
    abc = [["A"], ["B"], ["C"]]
    for item, bob_ranking, a_flags, b_flags in [
        (items[0], abc, {"A": ["wrong"]}, {"A": ["wrong"]}),  # tau 1
        (items[1], [["B"], ["A"], ["C"]], {"B": ["unsafe"]}, {}),  # tau (2 - 1) / 3 = 1/3
        (items[2], [["A", "B"], ["C"]], {}, {"C": ["wrong"]}),  # tau-b 2 / sqrt(6)
    ]:
        submit(store, item, alice, JudgementIn(ranking=abc, flags=a_flags))
        submit(store, item, bob, JudgementIn(ranking=bob_ranking, flags=b_flags))
    rep = build_report(store, "review")
    ag = rep["agreement"]
    # mean tau = (1 + 1/3 + 2/sqrt(6)) / 3 = (1 + 0.333333 + 0.816497) / 3 = 0.716610
    assert ag["kendall_tau"] == {"mean": pytest.approx(0.716610, abs=1e-4), "items": 3}
    # 18 units (3 items x 3 answers x 2 kinds): both 1, alice only 1, bob only 1, neither 15.
    # po = 16/18, pa = pb = 2/18, pe = (2/18)^2 + (16/18)^2 = 260/324; kappa = (288 - 260) / (324 - 260) = 28/64
    assert ag["cohen_kappa"]["pairs"] == {"alice|bob": pytest.approx(28 / 64, abs=1e-4)}
    # Fleiss with 2 raters on the same units: P = 16/18, p1 = 4/36 -> Pe = 1/81 + 64/81; (72 - 65) / (81 - 65) = 7/16
    assert ag["fleiss_kappa"] == {"value": pytest.approx(7 / 16, abs=1e-4), "raters": 2, "units": 18}
    assert [d["item_id"] for d in rep["most_disagreement"]] == [items[1], items[2], items[0]]
    assert rep["annotators"]["alice"]["done"] == 3 and rep["annotators"]["bob"]["done"] == 3
    # model-x wrote every first answer, model-y the rest: mean ranks come from the crafted labels' rows
    assert set(rep["models"]["mean_rank"]) == {"model-x", "model-y"}
    assert rep["models"]["ab"][0]["a_wins"]["n"] == 6
