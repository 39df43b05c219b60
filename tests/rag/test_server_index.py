"""The Qdrant server path: no server can run here, so a stub HTTP server records what qdrant-client sends."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from chatforge.rag.index import IndexUnavailable, SearchSpec, ServerIndex
from chatforge.rag.ingest import IngestConfig, ingest


class _Recorder(BaseHTTPRequestHandler):
    requests: list = []

    def _reply(self, result):
        body = json.dumps({"result": result, "status": "ok", "time": 0.0}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.requests.append(("GET", self.path, None))
        self._reply({"exists": True} if self.path.endswith("/exists") else {})

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"null")
        self.requests.append(("POST", self.path, body))
        if self.path.endswith("/points/query/batch"):
            point = {
                "id": "5c56c793-69f3-5fbf-87e6-c4bf54c28c7e",
                "version": 1,
                "score": 0.5,
                "payload": {"doc_id": "public/a.md", "roles": ["public"], "text": "t"},
            }
            return self._reply([{"points": [point]} for _ in body["searches"]])
        self._reply({"operation_id": 1, "status": "completed"} if "/points" in self.path else {})

    do_PUT = do_POST

    def log_message(self, *args):
        pass


@pytest.fixture
def stub():
    _Recorder.requests = []
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", _Recorder.requests
    server.shutdown()


def test_hybrid_query_request_carries_the_role_filter_in_every_branch(stub):
    url, seen = stub
    index = ServerIndex(url, "kb")
    hits = index.search(
        SearchSpec(
            roles=["support", "public"],
            limit=5,
            dense=[0.1, 0.2],
            sparse=([7, 9], [1.0, 1.0]),
            prefetch_limit=40,
            weights=(1.0, 0.5),
            rrf_k=20,
            payload=["doc_id", "roles", "text"],
        )
    )
    assert hits == [(0.5, {"doc_id": "public/a.md", "roles": ["public"], "text": "t"})]
    method, path, body = seen[-1]
    assert (method, path) == ("POST", "/collections/kb/points/query/batch")
    req = body["searches"][0]
    role_filter = {"must": [{"key": "roles", "match": {"any": ["support", "public"]}}]}
    assert req["query"] == {"rrf": {"k": 20, "weights": [1.0, 0.5]}} and req["limit"] == 5
    assert req["filter"] == role_filter
    dense, sparse = req["prefetch"]
    assert (
        dense["using"] == "dense"
        and dense["query"] == [0.1, 0.2]
        and dense["limit"] == 40
        and dense["filter"] == role_filter
    )
    assert sparse["using"] == "bm25" and sparse["query"] == {"indices": [7, 9], "values": [1.0, 1.0]}
    assert sparse["filter"] == role_filter
    with pytest.raises(PermissionError):
        index.build_query(SearchSpec(roles=[], limit=5, dense=[0.1]))


def test_upsert_and_delete_requests(stub):
    from chatforge.rag.index import IndexPoint

    url, seen = stub
    index = ServerIndex(url, "kb")
    index.upsert(
        [IndexPoint("public/a.md#0", [0.5, 0.5], ([3], [1.2]), {"doc_id": "public/a.md", "roles": ["public"]})]
    )
    index.delete_doc("public/a.md")
    (_, put_path, put_body), (_, del_path, del_body) = [r for r in seen if r[0] != "GET"][-2:]
    assert put_path.startswith("/collections/kb/points") and del_path.startswith("/collections/kb/points/delete")
    point = put_body["points"][0]
    assert point["vector"] == {"dense": [0.5, 0.5], "bm25": {"indices": [3], "values": [1.2]}}
    assert point["payload"]["roles"] == ["public"] and point["id"] == IndexPoint("public/a.md#0", [], ([], []), {}).id
    assert del_body == {"filter": {"must": [{"key": "doc_id", "match": {"value": "public/a.md"}}]}}


def test_server_down_is_a_clear_error_and_writes_nothing(tmp_path):
    with socket.socket() as s:  # a port with nobody listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "a.md").write_text("# A\n\nTexte.\n", encoding="utf-8")
    with pytest.raises(IndexUnavailable, match="unreachable"):
        ingest(
            [tmp_path / "kb"],
            tmp_path / "idx",
            IngestConfig(qdrant_url=f"http://127.0.0.1:{port}", default_roles=["public"]),
            progress=False,
        )
    assert not (tmp_path / "idx" / "shard").exists() and not (tmp_path / "idx" / "chatforge-index.json").exists()
