"""The scale-out configuration under deploy/: every file parses, accelerate and MLflow accept their parts, compose
services are pinned and health-checked, and every environment variable chatforge reads is documented.

No Docker engine and no GPU here: the configs are checked by the tools' own parsers, not started."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
ACCELERATE = {  # file -> (distributed_type, what its sharding section must say)
    "deepspeed_zero2.yaml": ("DEEPSPEED", {"zero_stage": 2}),
    "deepspeed_zero3.yaml": ("DEEPSPEED", {"zero_stage": 3, "zero3_init_flag": True, "zero3_save_16bit_model": True}),
    "deepspeed_zero3_multinode.yaml": ("DEEPSPEED", {"zero_stage": 3, "deepspeed_multinode_launcher": "standard"}),
    "fsdp.yaml": (
        "FSDP",
        {
            "fsdp_version": 2,
            "fsdp_state_dict_type": "FULL_STATE_DICT",
            "fsdp_auto_wrap_policy": "TRANSFORMER_BASED_WRAP",
        },
    ),
}
COMPOSE = {"compose.yaml": {"qdrant", "postgres", "mlflow"}, "qdrant/compose.yaml": {"qdrant"}}


def test_every_yaml_under_deploy_parses():
    files = sorted(DEPLOY.rglob("*.yaml")) + sorted(DEPLOY.rglob("*.yml"))
    assert len(files) >= len(ACCELERATE) + len(COMPOSE)
    for path in files:
        assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict), path
    assert {p.name for p in (DEPLOY / "accelerate").glob("*.yaml")} == set(ACCELERATE)  # a new config gets checked here


@pytest.mark.parametrize("name", sorted(ACCELERATE))
def test_accelerate_config_loads_and_launches_chatforge(name):
    from accelerate.commands.config.config_args import ClusterConfig
    from accelerate.commands.launch import _validate_launch_command, launch_command_parser
    from accelerate.utils import DistributedType

    path = DEPLOY / "accelerate" / name
    kind, expected = ACCELERATE[name]
    cfg = ClusterConfig.from_yaml_file(str(path))  # accelerate's loader: unknown top-level keys are refused
    section = cfg.deepspeed_config if kind == "DEEPSPEED" else cfg.fsdp_config
    assert cfg.distributed_type == DistributedType[kind] and cfg.mixed_precision == "bf16" and not cfg.use_cpu
    assert {k: section.get(k) for k in expected} == expected
    parser = launch_command_parser()
    known = {action.dest for action in parser._actions}
    assert set(section) <= known, f"{name}: keys accelerate launch would ignore: {set(section) - known}"
    rank = ["--machine_rank", "1"] if cfg.num_machines > 1 else []
    args = parser.parse_args(["--config_file", str(path), *rank, "-m", "chatforge.cli", "train", "sft", "--out", "o"])
    args, _, _ = _validate_launch_command(args)  # what `accelerate launch` runs before starting the processes
    assert (args.use_deepspeed, args.use_fsdp) == (kind == "DEEPSPEED", kind == "FSDP")
    assert args.module and args.training_script == "chatforge.cli" and args.training_script_args[:2] == ["train", "sft"]
    assert args.num_processes == cfg.num_processes and args.num_processes % max(1, cfg.num_machines) == 0
    if cfg.num_machines > 1:
        assert args.machine_rank == 1 and cfg.main_process_ip and cfg.main_process_port


def test_accelerate_launch_reaches_chatforge_through_its_module_entry_point():
    """`accelerate launch ... -m chatforge.cli train sft ...` (the recipes' entry point) starts our command."""
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "accelerate.commands.accelerate_cli",
            "launch",
            "--cpu",
            "--num_processes",
            "1",
            "--num_machines",
            "1",
            "--mixed_precision",
            "no",
            "--dynamo_backend",
            "no",
            "-m",
            "chatforge.cli",
            "train",
            "sft",
            "--help",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "train sft" in out.stdout and "--data" in out.stdout


def _compose(name: str) -> dict:
    return yaml.safe_load((DEPLOY / name).read_text(encoding="utf-8"))


def _pinned(image: str) -> bool:
    tag = image.rsplit(":", 1)[1] if ":" in image.rsplit("/", 1)[-1] else ""
    return bool(re.fullmatch(r"v?\d+(\.\d+)+", tag))


@pytest.mark.parametrize("name", sorted(COMPOSE))
def test_compose_services_are_pinned_and_health_checked(name):
    doc = _compose(name)
    assert set(doc["services"]) == COMPOSE[name]
    for service, spec in doc["services"].items():
        assert _pinned(spec["image"]), f"{service}: {spec['image']} is not pinned to a version"
        inline = (spec.get("build") or {}).get("dockerfile_inline", "")
        for base in re.findall(r"^FROM\s+(\S+)", inline, flags=re.M):
            assert _pinned(base), f"{service}: base image {base} is not pinned"
        check = spec["healthcheck"]["test"]
        assert check[0] in ("CMD", "CMD-SHELL") and len(check) > 1
        for volume in spec.get("volumes", []):
            source = volume.split(":")[0]
            assert source in doc.get("volumes", {}) or (DEPLOY / Path(name).parent / source).exists(), volume


def test_compose_wires_mlflow_to_postgres_and_its_artifact_volume():
    import mlflow.cli

    services = _compose("compose.yaml")["services"]
    mlflow_svc, pg = services["mlflow"], services["postgres"]
    assert mlflow_svc["depends_on"]["postgres"]["condition"] == "service_healthy"
    args = [re.sub(r"\$\{(\w+)[^}]*\}", r"\1", a) for a in mlflow_svc["command"][2:]]  # ${VAR:?msg} -> VAR
    server = mlflow.cli.cli.commands["server"]
    params = server.make_context("server", args).params  # MLflow's own option parser
    backend = params["backend_store_uri"]
    assert backend.startswith("postgresql://") and "@postgres:5432/mlflow" in backend
    assert params["serve_artifacts"] and params["artifacts_destination"] == "/mlartifacts"
    assert any(v.split(":")[0] == "mlflow_artifacts" and v.endswith(":/mlartifacts") for v in mlflow_svc["volumes"])
    hosts = next(p for p in server.params if p.name == "allowed_hosts")
    assert hosts.envvar == "MLFLOW_SERVER_ALLOWED_HOSTS" and "mlflow:5000" in mlflow_svc["environment"][hosts.envvar]
    init = next(v for v in pg["volumes"] if "docker-entrypoint-initdb.d" in v).split(":")[0]
    assert "CREATE DATABASE mlflow" in (DEPLOY / init).read_text(encoding="utf-8")
    assert pg["environment"]["POSTGRES_DB"] == "chatforge" and "-d mlflow" in pg["healthcheck"]["test"][1]


def _env_vars_chatforge_reads() -> set[str]:
    found = set()
    for path in (ROOT / "chatforge").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r"environ\.get\(\s*\"([A-Z][A-Z0-9_]+)\"", text))
        found |= set(re.findall(r"environ\[\s*\"([A-Z][A-Z0-9_]+)\"\s*\]", text))
        found |= set(re.findall(r"getenv\(\s*\"([A-Z][A-Z0-9_]+)\"", text))
    return found


def test_every_environment_variable_chatforge_reads_is_documented():
    read = _env_vars_chatforge_reads()
    assert {"MLFLOW_TRACKING_URI", "QDRANT_API_KEY", "CHATFORGE_REGISTRY"} <= read
    guide = (DEPLOY / "README.md").read_text(encoding="utf-8")
    assert not {v for v in read if v not in guide}, "document these in deploy/README.md"
    assert set(_compose("compose.yaml")["x-chatforge-env"]) <= read  # no variable chatforge would ignore


def test_deploy_readme_recipes_name_existing_files_and_options():
    from typer.testing import CliRunner

    from chatforge.cli import app

    guide = (DEPLOY / "README.md").read_text(encoding="utf-8")
    for ref in set(re.findall(r"deploy/[\w./-]+\.(?:yaml|sql)", guide)):
        assert (ROOT / ref).is_file(), ref
    lines = [ln.strip() for ln in guide.splitlines() if re.match(r"\s*(\$ )?chatforge [a-z]", ln)]
    assert len(lines) >= 5
    runner = CliRunner()
    for line in lines:
        words = line.removeprefix("$ ").split()[1:]
        path = [w for w in words[:2] if re.fullmatch(r"[a-z]+", w)]
        help_text = runner.invoke(app, path + ["--help"], env={"COLUMNS": "240", "TERMINAL_WIDTH": "240"}).output
        for flag in re.findall(r"(?<!\S)(--[a-z][a-z-]*)", line):
            assert flag in help_text, f"{line}: chatforge {' '.join(path)} has no {flag}"


def test_each_launched_process_loads_the_model_on_its_own_gpu(monkeypatch):
    """Under `accelerate launch` every process has LOCAL_RANK; the loader must not put 8 copies on GPU 0."""
    import torch

    from chatforge.models.load import pick_device

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setenv("LOCAL_RANK", "3")
    assert pick_device() == (torch.device("cuda:3"), torch.bfloat16)
    assert pick_device("cpu")[0] == torch.device("cpu")  # an explicit CPU stays CPU
    monkeypatch.delenv("LOCAL_RANK")
    assert pick_device()[0] == torch.device("cuda")  # a single process: the default GPU
