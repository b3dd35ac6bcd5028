// Routes that ComfyUI clients call besides the prompt cycle, answered as
// ComfyUI 0.21 does on a server without models, embeddings or front-end
// extensions (server.py: /features, /embeddings, /extensions, /models,
// /models/{folder}; execution.py's get_history for GET /history's paging).

/** server.py feature_flags.get_server_features(), as a 0.21 server on CPU without the manager answers. */
const FEATURES = { supports_preview_metadata: true, max_upload_size: 104_857_600, node_replacements: true, assets: false };

/** folder_paths.folder_names_and_paths of ComfyUI 0.21: the model folders a client may list. */
const MODEL_FOLDERS = [
  "checkpoints", "configs", "loras", "vae", "text_encoders", "diffusion_models", "clip_vision", "style_models",
  "embeddings", "diffusers", "vae_approx", "controlnet", "gligen", "upscale_models", "latent_upscale_models",
  "custom_nodes", "hypernetworks", "photomaker", "classifiers", "model_patches", "audio_encoders",
  "background_removal", "frame_interpolation", "optical_flow",
];

export type StaticAnswer = { status: number; body: unknown };

/** The answer to a GET that does not depend on the server's state, or undefined when `path` is not one. */
export function staticAnswer(path: string): StaticAnswer | undefined {
  if (path === "/features") return { status: 200, body: FEATURES };
  // A replay has no model files: every folder is empty, and an unknown folder is a 404 as on ComfyUI.
  if (path === "/embeddings" || path === "/extensions") return { status: 200, body: [] };
  if (path === "/models") return { status: 200, body: MODEL_FOLDERS };
  if (path.startsWith("/models/")) {
    const folder = decodeURIComponent(path.slice("/models/".length));
    return MODEL_FOLDERS.includes(folder) ? { status: 200, body: [] } : { status: 404, body: null };
  }
  return undefined;
}

/**
 * GET /history?max_items=N&offset=K as execution.py's get_history pages it:
 * without an offset, the last N entries; with one, N entries from the K-th.
 */
export function pageHistory<T>(entries: [string, T][], query: URLSearchParams): Record<string, T> | null {
  const maxItems = query.has("max_items") ? Number(query.get("max_items")) : null;
  const offsetRaw = query.has("offset") ? Number(query.get("offset")) : -1;
  // ComfyUI's int() of a bad value raises: a 500.
  if ((maxItems !== null && !Number.isInteger(maxItems)) || !Number.isInteger(offsetRaw)) return null;
  const offset = offsetRaw < 0 && maxItems !== null ? entries.length - maxItems : offsetRaw;
  const out: [string, T][] = [];
  entries.forEach((entry, i) => {
    if (i >= offset && (maxItems === null || out.length < maxItems)) out.push(entry);
  });
  return Object.fromEntries(out);
}
