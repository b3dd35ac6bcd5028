"""comfyprof probe: a ComfyUI node pack with no nodes. It tees every message the server sends
(PromptServer.send_sync, all clients) into a comfyprof event log, with the server's own clocks.
See README.md. Loading it never raises: anything unexpected disables it with one log line."""

from .comfyprof_probe.install import install_into_comfyui

NODE_CLASS_MAPPINGS = {}
NODE_DISPLAY_NAME_MAPPINGS = {}

install_into_comfyui()
