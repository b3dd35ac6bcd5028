"""Writes a TAESD VAE with random weights (seeded) into a ComfyUI models/vae folder, for the model-load case.

ComfyUI recognises a TAESD by its tensor names ("taesd_decoder.1.weight", ...): the live test can then
load and run a real model on the CPU, and read the server's real "Requested to load" / "loaded
completely" lines, without downloading weights. Run it with the server's Python, from ComfyUI's folder:

    cd /path/to/ComfyUI && python /path/to/comfyprof/test/live/make-random-taesd.py models/vae
"""
import os
import sys

sys.argv = [sys.argv[0], "--cpu", *sys.argv[1:]]  # ComfyUI's modules read its CLI flags on import
import comfy.cli_args  # noqa: E402

comfy.cli_args.args.cpu = True
import torch  # noqa: E402
from safetensors.torch import save_file  # noqa: E402

import comfy.taesd.taesd as taesd  # noqa: E402

folder = sys.argv[2] if len(sys.argv) > 2 else "models/vae"
torch.manual_seed(0)
model = taesd.TAESD(latent_channels=4)
weights = {k if k.startswith(("taesd_", "vae_")) else f"taesd_{k}": v.contiguous() for k, v in model.state_dict().items()}
path = os.path.join(folder, "comfyprof_random_taesd.safetensors")
save_file(weights, path)
print(f"wrote {path}: {len(weights)} tensors, {sum(v.numel() for v in weights.values())} parameters")
