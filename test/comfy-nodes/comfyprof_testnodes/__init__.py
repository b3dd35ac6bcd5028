"""comfyprof test-node pack for ComfyUI (category "comfyprof/test"); see ../README.md."""
from . import load_truth
from .nodes import NODE_CLASS_MAPPINGS, NODE_DISPLAY_NAME_MAPPINGS

load_truth.install()  # times every model load for the truth file (load_truth.py)

__all__ = ["NODE_CLASS_MAPPINGS", "NODE_DISPLAY_NAME_MAPPINGS"]
