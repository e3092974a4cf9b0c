"""Shared test fixtures and paths."""

from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
torch.set_num_threads(1)  # as in the app: results and timings match what a session sees
