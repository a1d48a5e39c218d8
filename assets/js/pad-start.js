// The pad, first and on its own: a module script with no other imports than pad.js, so the pad
// takes strokes as soon as the page is parsed, not after the rest of the page's modules (and
// i18n.js's fetch of the language's catalogue, which engine.js waits for). main.js imports this
// same instance and wires it to Python, which scores whatever was drawn once it is ready.

import { Pad } from "./pad.js";

export const pad = new Pad(
  document.getElementById("pad"),
  undefined,
  document.getElementById("pad-cursor"),
);
