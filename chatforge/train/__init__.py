"""Training stages: pretraining from scratch and continued pretraining (pretrain.py), with resumable checkpoints."""
