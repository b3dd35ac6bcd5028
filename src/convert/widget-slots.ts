// Which of a node's widget values belongs to which input, from the server's
// /object_info. The editor saves widget values by position, one per widget in
// input order, plus the values of widgets that are not inputs: the seed's
// `control_after_generate`, an image's upload button. Those take a position
// and map to no input.

/** One class's /object_info entry, as far as widgets need it. */
export interface NodeClassInfo {
  input?: { required?: Record<string, unknown>; optional?: Record<string, unknown> };
  input_order?: { required?: string[]; optional?: string[] };
  display_name?: string | null;
  output?: unknown[];
}

export type ObjectInfo = Record<string, NodeClassInfo>;

/** The input types the editor shows as widgets (a list of choices is a combo). */
const WIDGET_TYPES = new Set(["INT", "FLOAT", "STRING", "BOOLEAN", "COMBO"]);

/** The name of each widget value's position; null where the value belongs to no input. */
export function widgetSlots(info: NodeClassInfo): (string | null)[] {
  const slots: (string | null)[] = [];
  for (const group of ["required", "optional"] as const) {
    const specs = info.input?.[group] ?? {};
    const order = info.input_order?.[group] ?? Object.keys(specs);
    for (const name of order) {
      const spec = specs[name];
      if (!Array.isArray(spec)) continue;
      const [type, options] = spec as [unknown, Record<string, unknown> | undefined];
      const isCombo = Array.isArray(type) || type === "COMBO";
      if (!isCombo && !(typeof type === "string" && WIDGET_TYPES.has(type))) continue;
      if (options?.forceInput === true) continue;
      slots.push(name);
      // A value-control widget follows INT/FLOAT/combo inputs that ask for one (the seed's "randomize").
      if (options?.control_after_generate) slots.push(null);
      if (options?.image_upload === true || options?.video_upload === true || options?.audio_upload === true) slots.push(null);
    }
  }
  return slots;
}

/** The widget values as inputs. Array values are boxed as the editor does: an array would read as a link. */
export function widgetInputs(info: NodeClassInfo, values: unknown[] | Record<string, unknown> | undefined): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  if (values === undefined || values === null) return inputs;
  const slots = widgetSlots(info);
  if (!Array.isArray(values)) {
    for (const name of slots) if (name !== null && name in values) inputs[name] = boxed(values[name]);
    return inputs;
  }
  slots.forEach((name, i) => {
    if (name !== null && i < values.length) inputs[name] = boxed(values[i]);
  });
  return inputs;
}

export function boxed(value: unknown): unknown {
  return Array.isArray(value) ? { __value__: value } : value;
}
