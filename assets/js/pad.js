// The drawing pad: pointer events (mouse, pen, touch), smooth round-capped strokes, undo, clear,
// and a keyboard pen (arrows move a visible cursor, Shift+arrows further, Space pen down/up).
// Drawing never waits for Python: strokes are painted here at once, and `onChange` tells the
// page that the pixels changed (final = the stroke ended).

const INK = "#111111";
const PEN_WIDTH = 18; // in canvas pixels of the 280x280 pad: like MNIST's ~2 px pen at 28x28
// Points are kept to 1/4 canvas pixel (invisible at a pen 18 px wide): the grid a link's ink
// uses (py/lab/ink_code.py GRID), so a drawing in a link replays to the very same pixels.
const onGrid = (v) => Math.round(v * 4) / 4;
// The keyboard pen's steps in canvas pixels: a pen width's third, and with Shift a pen width
// and a half (a digit spans ~200 px: about ten Shift steps top to bottom).
const KEY_STEP = 6;
const KEY_BIG_STEP = 28;
const KEY_MOVES = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

export class Pad {
  constructor(canvas, onChange = () => {}, cursor = null) {
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d", { willReadFrequently: true });
    this.strokes = []; // each a list of [x, y] points in canvas pixels
    this.digit = null; // a ready-made 28x28 digit under the strokes (showDigit), or null
    this.digitLayer = null; // that digit painted at pad size, as ink
    // What the pad shows when it is a ready-made example left as loaded (a preset's name, for
    // a link that reopens it); null once anything is drawn, undone or cleared.
    this.source = null;
    this.current = null;
    this.pointerId = null; // the pointer drawing the current stroke: a second finger is ignored
    this.onChange = onChange;
    this.cursor = cursor; // the keyboard pen's visible cursor (an element over the pad), or null
    this.keyPoint = [canvas.width / 2, canvas.height / 2]; // where the keyboard pen is
    this.keyDown = false; // the keyboard pen is drawing the current stroke
    canvas.addEventListener("keydown", (e) => this.#key(e));
    canvas.addEventListener("focus", () => this.#showCursor());
    canvas.addEventListener("blur", () => {
      this.#liftKeyPen();
      if (this.cursor) this.cursor.hidden = true;
    });
    canvas.addEventListener("pointerdown", (e) => this.#down(e));
    // pointerrawupdate (Chromium, secure contexts) arrives as soon as the pointer moves;
    // pointermove waits for the next frame, adding up to a frame of latency to every update.
    const moveEvent = "onpointerrawupdate" in window ? "pointerrawupdate" : "pointermove";
    canvas.addEventListener(moveEvent, (e) => this.#move(e));
    for (const type of ["pointerup", "pointercancel"]) {
      canvas.addEventListener(type, (e) => this.#up(e));
    }
    performance.mark("pad-ready"); // the pad takes strokes from now on (start-up benchmark)
  }

  get size() { return this.canvas.width; }
  get isEmpty() { return this.strokes.length === 0 && this.digit === null; }
  // The shown digit's 784 grey levels while nothing is drawn over it, else null: the lab then
  // scores exactly that digit, not a re-normalised copy of the canvas.
  get digitOnly() { return this.strokes.length === 0 ? this.digit : null; }

  // Show a 28x28 digit (784 grey levels, 0 = no ink, 255 = full ink) instead of the drawing.
  // Each pixel becomes a 10x10 block of ink: strokes drawn over it join it on the canvas.
  showDigit(grey, source = null) {
    this.digit = Uint8Array.from(grey);
    const side = Math.sqrt(this.digit.length);
    const cell = this.canvas.width / side;
    this.digitLayer = new OffscreenCanvas(this.canvas.width, this.canvas.height);
    const ctx = this.digitLayer.getContext("2d");
    ctx.fillStyle = INK;
    this.digit.forEach((g, i) => {
      if (g === 0) return;
      ctx.globalAlpha = g / 255;
      ctx.fillRect((i % side) * cell, Math.floor(i / side) * cell, cell, cell);
    });
    this.strokes = [];
    this.current = null;
    this.pointerId = null;
    this.keyDown = false;
    this.source = source;
    this.#redraw();
  }

  // Replace the drawing by these strokes ([x, y] points in canvas pixels), painted exactly as
  // if drawn: the page then reads the canvas as it reads a drawing.
  showStrokes(strokes, source = null) {
    this.strokes = strokes.map((stroke) => stroke.map(([x, y]) => [x, y]));
    this.digit = this.digitLayer = null;
    this.current = null;
    this.pointerId = null;
    this.keyDown = false;
    this.source = source;
    this.#redraw();
  }

  pixels() {
    return this.ctx.getImageData(0, 0, this.canvas.width, this.canvas.height);
  }

  clear() {
    this.source = null;
    this.strokes = [];
    this.digit = this.digitLayer = null;
    this.current = null;
    this.pointerId = null;
    this.keyDown = false;
    this.#redraw();
    this.onChange(true, null);
  }

  undo() {
    if (this.strokes.length === 0) return;
    this.source = null;
    this.strokes.pop();
    this.current = null;
    this.pointerId = null;
    this.keyDown = false;
    this.#redraw();
    this.onChange(true, null);
  }

  #point(e) {
    const rect = this.canvas.getBoundingClientRect();
    return [
      onGrid(((e.clientX - rect.left) * this.canvas.width) / rect.width),
      onGrid(((e.clientY - rect.top) * this.canvas.height) / rect.height),
    ];
  }

  #down(e) {
    if (e.button !== 0 && e.pointerType === "mouse") return;
    e.preventDefault();
    if (this.current) return; // another finger is already drawing: one stroke at a time
    this.pointerId = e.pointerId;
    // preventDefault() also keeps focus where it was: leave a text field as any other click
    // would, so its edit is committed (and a rejected one shows the value in force again).
    if (document.activeElement !== document.body) document.activeElement?.blur();
    this.canvas.setPointerCapture?.(e.pointerId);
    if (!performance.getEntriesByName("pad-first-stroke").length) {
      performance.mark("pad-first-stroke"); // read by scripts/bench/bench_startup.py
    }
    this.current = [this.#point(e)];
    this.source = null;
    this.strokes.push(this.current);
    drawStroke(this.ctx, this.current, 0);
    this.onChange(false, e);
  }

  #move(e) {
    if (!this.current || e.pointerId !== this.pointerId) return;
    e.preventDefault();
    const from = this.current.length;
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [];
    for (const ev of events.length ? events : [e]) this.current.push(this.#point(ev));
    drawStroke(this.ctx, this.current, from);
    this.onChange(false, e);
  }

  #up(e) {
    if (!this.current || e.pointerId !== this.pointerId) return;
    this.current = null;
    this.pointerId = null;
    this.keyDown = false;
    // Repaint from the stored points: the finished pad is then exactly what a redraw after
    // undo gives (live painting overlaps segment ends slightly differently).
    this.#redraw();
    this.onChange(true, null);
  }

  // The keyboard pen. Keys other than arrows and Space go on as usual (Tab leaves the pad).
  #key(e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === " ") {
      e.preventDefault();
      if (e.repeat) return;
      if (this.keyDown) this.#liftKeyPen();
      else this.#penDown();
      return;
    }
    const move = KEY_MOVES[e.key];
    if (!move) return;
    e.preventDefault();
    const step = e.shiftKey ? KEY_BIG_STEP : KEY_STEP;
    const clampTo = (v, max) => Math.max(0, Math.min(max, v));
    this.keyPoint = [
      clampTo(this.keyPoint[0] + move[0] * step, this.canvas.width),
      clampTo(this.keyPoint[1] + move[1] * step, this.canvas.height),
    ];
    this.#showCursor();
    if (!this.keyDown) return;
    const from = this.current.length;
    this.current.push([...this.keyPoint]);
    drawStroke(this.ctx, this.current, from);
    this.onChange(false, e);
  }

  #penDown() {
    if (this.current) return; // a pointer is drawing
    this.keyDown = true;
    this.current = [[...this.keyPoint]];
    this.source = null;
    this.strokes.push(this.current);
    drawStroke(this.ctx, this.current, 0);
    this.#showCursor();
    this.onChange(false, null);
  }

  #liftKeyPen() {
    if (!this.keyDown) return;
    this.keyDown = false;
    this.current = null;
    this.#redraw();
    this.#showCursor();
    this.onChange(true, null);
  }

  // The cursor sits over the pad at the keyboard pen's point, in the page's pixels.
  #showCursor() {
    if (!this.cursor || document.activeElement !== this.canvas) return;
    const pad = this.canvas;
    const scale = pad.clientWidth / pad.width;
    this.cursor.style.left = `${pad.offsetLeft + pad.clientLeft + this.keyPoint[0] * scale}px`;
    this.cursor.style.top = `${pad.offsetTop + pad.clientTop + this.keyPoint[1] * scale}px`;
    this.cursor.classList.toggle("down", this.keyDown);
    this.cursor.hidden = false;
  }

  #redraw() {
    this.ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    if (this.digitLayer) this.ctx.drawImage(this.digitLayer, 0, 0);
    for (const stroke of this.strokes) drawStroke(this.ctx, stroke, 0);
  }
}

// Paint the part of `points` that starts at index `from`, as quadratic curves through the
// midpoints. Live drawing and redraws after undo call this same function with the same
// points, so an undo restores exactly the pixels that were there before the last stroke.
function drawStroke(ctx, points, from) {
  ctx.strokeStyle = INK;
  ctx.fillStyle = INK;
  ctx.lineWidth = PEN_WIDTH;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  if (points.length === 1) {
    ctx.beginPath();
    ctx.arc(points[0][0], points[0][1], PEN_WIDTH / 2, 0, 2 * Math.PI);
    ctx.fill();
    return;
  }
  const mid = (a, b) => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  for (let i = Math.max(from, 1); i < points.length; i++) {
    const prev = points[i - 1];
    const start = i === 1 ? prev : mid(points[i - 2], prev);
    const end = mid(prev, points[i]);
    ctx.beginPath();
    ctx.moveTo(start[0], start[1]);
    ctx.quadraticCurveTo(prev[0], prev[1], end[0], end[1]);
    if (i === points.length - 1) ctx.lineTo(points[i][0], points[i][1]);
    ctx.stroke();
  }
}
