"""The model registry: versions with lineage and metrics (versions.py), promotion gates (promotion.py), lineage
records (lineage.py), and the versions trained on erased data (erasure.py). MLflow's registry underneath."""

from chatforge.registry import versions as _versions  # noqa: F401  registers `registry:` model specs with the loader
