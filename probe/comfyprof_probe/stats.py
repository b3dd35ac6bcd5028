"""A /system_stats-equivalent sample, made the way ComfyUI's own handler makes it (server.py
system_stats): comfy.model_management for RAM and the torch device, no other dependency. The
frontend and template versions are left out (they read package metadata, not memory)."""

import os
import sys


def comfy_system_stats():
    import comfy.model_management as mm  # the server has imported it already

    try:
        from comfyui_version import __version__ as comfyui_version
    except Exception:
        comfyui_version = None
    device = mm.get_torch_device()
    cpu = mm.torch.device("cpu")
    vram_total, torch_vram_total = mm.get_total_memory(device, torch_total_too=True)
    vram_free, torch_vram_free = mm.get_free_memory(device, torch_free_too=True)
    return {
        "system": {
            "os": sys.platform,
            "ram_total": mm.get_total_memory(cpu),
            "ram_free": mm.get_free_memory(cpu),
            "comfyui_version": comfyui_version,
            "python_version": sys.version,
            "pytorch_version": mm.torch_version,
            "embedded_python": os.path.split(os.path.split(sys.executable)[0])[1] == "python_embeded",
            "argv": sys.argv,
        },
        "devices": [
            {
                "name": mm.get_torch_device_name(device),
                "type": device.type,
                "index": device.index,
                "vram_total": vram_total,
                "vram_free": vram_free,
                "torch_vram_total": torch_vram_total,
                "torch_vram_free": torch_vram_free,
            }
        ],
    }
