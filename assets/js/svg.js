// One SVG element with its attributes (and text), for the page's small hand-drawn plots.

const SVG = "http://www.w3.org/2000/svg";

export function svgElement(tag, attributes, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}
