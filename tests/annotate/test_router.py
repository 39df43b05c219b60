"""The annotation API on a real uvicorn server: roles, blind queue, N annotators per item, skip, no double submission."""

import httpx


def test_queue_roles_blind_capacity_skip(store, review_campaign, live):
    review_campaign(n=2)
    server = live()
    keys = {
        u: store.create_key(u, roles)[0]
        for u, roles in [
            ("ann1", ["annotator"]),
            ("ann2", ["annotator"]),
            ("ann3", ["annotator"]),
            ("rev", ["reviewer"]),
            ("chat", ["support"]),
        ]
    }
    h = lambda u: {"Authorization": f"Bearer {keys[u]}"}  # noqa: E731
    url = server.url + "/v1/annotate"
    assert httpx.get(f"{url}/campaigns", headers=h("chat")).status_code == 403
    assert httpx.get(f"{url}/campaigns/review/next", headers=h("rev")).status_code == 403
    assert httpx.get(f"{url}/campaigns/review/disagreements", headers=h("ann1")).status_code == 403
    assert httpx.get(server.url + "/annotate").text.count("annotate.js") == 1

    camp = httpx.get(f"{url}/campaigns", headers=h("ann1")).json()["data"]
    assert camp == [
        {
            "name": "review",
            "mode": "review",
            "annotators_per_item": 2,
            "progress": {"done": 0, "total": 3, "skipped": 0},
        }
    ]
    first = httpx.get(f"{url}/campaigns/review/next", headers=h("ann1")).json()
    # blind: prompt and labelled answers only, no model, no one's judgement
    assert set(first) == {"campaign", "item_id", "prompt", "answers", "progress"}
    assert [set(a) for a in first["answers"]] == [{"label", "content"}] * 3
    assert [a["label"] for a in first["answers"]] == ["A", "B", "C"]
    again = httpx.get(f"{url}/campaigns/review/next", headers=h("ann1")).json()
    assert again["item_id"] == first["item_id"]  # a pending item is served until judged

    post = lambda u, item, body: httpx.post(f"{url}/items/{item}/judgement", json=body, headers=h(u))  # noqa: E731
    assert post("ann1", first["item_id"], {"ranking": [["A"], ["B"]]}).status_code == 422  # C missing
    assert (
        post("ann1", first["item_id"], {"ranking": [["A"], ["B"], ["C"]], "flags": {"A": ["rude"]}}).status_code == 422
    )
    ok = post("ann1", first["item_id"], {"ranking": [["A"], ["B", "C"]], "flags": {"C": ["wrong"]}, "comment": "ok"})
    assert ok.status_code == 200 and ok.json()["stored"]
    assert post("ann1", first["item_id"], {"ranking": [["A"], ["B"], ["C"]]}).status_code == 409
    assert post("ann3", first["item_id"], {"ranking": [["A"], ["B"], ["C"]]}).status_code == 404  # not assigned

    seen = {u: [] for u in ("ann1", "ann2", "ann3")}
    seen["ann1"].append(first["item_id"])
    for user in ("ann1", "ann2", "ann3"):
        while True:
            nxt = httpx.get(f"{url}/campaigns/review/next", headers=h(user)).json()
            if nxt.get("done"):
                break
            if user == "ann2" and len(seen["ann2"]) == 0:
                assert post(user, nxt["item_id"], {"skip": True}).json()["skipped"]  # frees the slot for ann3
            else:
                assert post(user, nxt["item_id"], {"ranking": [["C"], ["B"], ["A"]]}).status_code == 200
            seen[user].append(nxt["item_id"])
    assert all(len(set(v)) == len(v) for v in seen.values())  # never the same item twice
    assert len(seen["ann1"]) == 3 and len(seen["ann2"]) == 3 and len(seen["ann3"]) == 1
    assert seen["ann3"] == seen["ann2"][:1]  # the skipped item, and nothing else: the others have their two
    assert httpx.get(f"{url}/campaigns", headers=h("ann2")).json()["data"][0]["progress"] == {
        "done": 2,
        "total": 2,
        "skipped": 1,
    }

    assert (
        len(httpx.get(f"{url}/campaigns/review/disagreements", headers=h("rev")).json()["data"]) == 1
    )  # the others agree
    dis = httpx.get(f"{url}/campaigns/review/disagreements", params={"all": "true"}, headers=h("rev")).json()["data"]
    # first item: ann1's A > B=C against ann3's C > B > A: tau-b = -2 / sqrt(3 * 2); the others agree (C > B > A twice)
    assert [d["tau"] for d in dis] == [-0.8165, 1.0, 1.0] and dis[0]["item_id"] == first["item_id"]
    assert {j["user"] for j in dis[0]["judgements"]} <= {"ann1", "ann2", "ann3"}
    r = httpx.post(f"{url}/items/{dis[0]['item_id']}/settle", json={"ranking": [["B"], ["A"], ["C"]]}, headers=h("rev"))
    assert r.status_code == 200
    after = httpx.get(f"{url}/campaigns/review/disagreements", params={"all": "true"}, headers=h("rev")).json()["data"]
    assert after[-1]["item_id"] == dis[0]["item_id"] and after[-1]["settled"] == [["B"], ["A"], ["C"]]
    rep = httpx.get(f"{url}/campaigns/review/report", headers=h("rev")).json()
    assert rep["items"]["settled"] == 1 and rep["judgements"] == 6


def test_concurrent_claims_never_exceed_n_per_item(store, review_campaign):
    import threading

    from chatforge.annotate.queue import next_item
    from chatforge.store.annotation import Assignment

    review_campaign(n=2)
    with store.session() as s:
        users = [store.user(f"u{i}", s).id for i in range(8)]
        s.commit()
    claimed: dict[int, int] = {}
    barrier = threading.Barrier(len(users))

    def claim(uid):
        barrier.wait()  # all eight ask at the same moment for the same first item
        claimed[uid] = next_item(store, "review", uid).get("item_id")

    threads = [threading.Thread(target=claim, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    with store.session() as s:
        per_item = {}
        for a in s.query(Assignment):
            per_item[a.item_id] = per_item.get(a.item_id, 0) + 1
    assert sorted(per_item.values()) == [2, 2, 2]  # 3 items x N=2 slots, never a third annotator
    assert sum(v is not None for v in claimed.values()) == 6 and len(claimed) == 8
