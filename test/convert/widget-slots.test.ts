import { describe, expect, it } from "vitest";
import { widgetSlots } from "../../src/convert/index.js";
import { widgetInputs } from "../../src/convert/widget-slots.js";

const KSAMPLER_LIKE = {
  input: {
    required: {
      model: ["MODEL"],
      seed: ["INT", { default: 0, control_after_generate: true }],
      steps: ["INT", { default: 20 }],
      sampler_name: [["euler", "dpmpp_2m"]],
      latent: ["LATENT"],
    },
    optional: { strength: ["FLOAT", { forceInput: true }], note: ["STRING", {}] },
  },
  input_order: { required: ["model", "seed", "steps", "sampler_name", "latent"], optional: ["strength", "note"] },
};

describe("convert/widget-slots", () => {
  it("gives the seed's control_after_generate value a position that maps to no input", () => {
    expect(widgetSlots(KSAMPLER_LIKE)).toEqual(["seed", null, "steps", "sampler_name", "note"]);
    expect(widgetInputs(KSAMPLER_LIKE, [42, "randomize", 30, "euler", "hi"])).toEqual({ seed: 42, steps: 30, sampler_name: "euler", note: "hi" });
  });

  it("counts the image upload button's value and skips it", () => {
    const loadImage = { input: { required: { image: [["a.png"], { image_upload: true }] } }, input_order: { required: ["image"] } };
    expect(widgetInputs(loadImage, ["a.png", "image"])).toEqual({ image: "a.png" });
  });

  it("reads values saved by name, and boxes an array value so it cannot read as a link", () => {
    expect(widgetInputs(KSAMPLER_LIKE, { seed: 7, steps: 3 })).toEqual({ seed: 7, steps: 3 });
    const list = { input: { required: { points: ["STRING", {}] } } };
    expect(widgetInputs(list, [["1", 2]])).toEqual({ points: { __value__: ["1", 2] } });
  });

  it("follows the order of the inputs when the server gives no input_order (older servers)", () => {
    const { input_order: _, ...older } = KSAMPLER_LIKE;
    expect(widgetSlots(older)).toEqual(["seed", null, "steps", "sampler_name", "note"]);
  });
});
