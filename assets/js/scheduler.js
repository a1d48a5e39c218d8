// The one way to the lab's worker: every call into Python goes through here, in turn.
//
// - Lab updates (new pixels, control texts) are coalesced: at most one in flight, at most one
//   started per animation frame, and one more when a stroke ends, so drawing never waits for
//   Python. An update starts at once when this frame has not started one yet, else at the next
//   frame. They go before anything else waiting.
// - Jobs that change the lab (learning): their answer's view is rendered like an update's.
// - Other calls (calibration chunks, the quiz, the examples), through `worker`, which has the
//   worker's functions: one call at a time, so nothing runs halfway between two others (a
//   calibration chunk never sees half a Learn press, and vice versa).
//
// Contract: <html data-updates> counts completed lab updates and jobs; <html data-idle> is true
// when none is pending or in flight (plain calls do not count: they leave the lab as it is).

const root = document.documentElement;
const MAX_MEASURES = 5000; // latency entries kept for the benchmark; bounded for long sessions

// readInput() -> the pad's pixels for an update: {digit} (784 grey levels), else {pixels, width}.
// render(view, {final, committed}) shows a view; `committed`: the fields committed (Enter, a
// slider, set from elsewhere) whose change that very update carried: they show the value in
// force now, not the text typed.
export function createScheduler({ readInput, render }) {
  const state = {
    api: null, // the worker's exported functions, once Python is up
    scheduled: false,
    startedThisFrame: false,
    inFlight: null, // what runs now: "lab" (an update or a job) or "call"
    updateWanted: false, // an update was asked for (perhaps only to show the view again)
    pixelsDirty: false,
    finalPending: false,
    // Control changes not yet sent, by field: only what the learner touched ({reset: true} too).
    pendingControls: {},
    pendingCommits: new Set(), // of those, the fields committed
    firstEventTime: null, // timeStamp of the oldest input not yet shown
    updates: 0,
    // Waiting calls, in order: {run(api) -> answer, lab: renders a view?, resolve, reject}.
    queue: [],
  };

  const labWaiting = () => state.updateWanted || state.queue.some((job) => job.lab);

  function setIdle() {
    root.dataset.idle = String(state.inFlight !== "lab" && !labWaiting());
  }

  function schedule() {
    setIdle();
    if (state.scheduled || state.inFlight) return; // flush() reschedules when the call returns
    state.scheduled = true;
    if (state.startedThisFrame) requestAnimationFrame(flush);
    else queueMicrotask(flush);
  }

  async function flush() {
    state.scheduled = false;
    if (!state.api || state.inFlight) return; // re-run when Python is ready / when this returns
    const update = state.updateWanted;
    const job = update ? null : state.queue.shift();
    if (!update && !job) return setIdle();
    state.inFlight = update || job.lab ? "lab" : "call";
    state.startedThisFrame = true;
    requestAnimationFrame(() => { state.startedThisFrame = false; });
    try {
      if (update) await runUpdate();
      else await runJob(job);
    } finally {
      if (state.inFlight === "lab") root.dataset.updates = String(++state.updates);
      state.inFlight = null;
      if (state.updateWanted || state.queue.length) schedule();
      else setIdle();
    }
  }

  async function runUpdate() {
    const final = state.finalPending;
    const input = state.pixelsDirty ? readInput() : {};
    const sent = state.pendingControls;
    const controls = Object.keys(sent).length ? JSON.stringify(sent) : "";
    const committed = state.pendingCommits;
    const start = state.firstEventTime;
    state.updateWanted = state.pixelsDirty = state.finalPending = false;
    state.pendingControls = {};
    state.pendingCommits = new Set();
    state.firstEventTime = null;
    try {
      const answer = input.digit
        ? await state.api.update_digit(input.digit, controls)
        : await state.api.update(input.pixels ?? null, input.width ?? 0, controls);
      await render(JSON.parse(answer), { final, committed });
      if (start !== null) {
        if (state.updates % MAX_MEASURES === 0) performance.clearMeasures("input-to-render");
        performance.measure("input-to-render", { start, end: performance.now() });
      }
    } catch (err) {
      console.error("update failed", err);
    }
  }

  async function runJob(job) {
    try {
      const answer = await job.run(state.api);
      if (!job.lab) return job.resolve(answer);
      const parsed = JSON.parse(answer);
      if (parsed.view) await render(parsed.view, { final: true, committed: new Set() });
      job.resolve(parsed);
    } catch (err) {
      job.reject(err);
    }
  }

  function enqueue(run, lab) {
    return new Promise((resolve, reject) => {
      state.queue.push({ run, lab, resolve, reject });
      schedule();
    });
  }

  return {
    // Python is up: what was asked for meanwhile (strokes, calls) runs now.
    connect(api) {
      state.api = api;
      schedule();
    },

    // New pixels and/or control texts, or nothing (the same view rendered again). `committed`:
    // names of fields among `controls` that were committed (see render).
    requestUpdate(event, { pixels = false, final = false, controls = null, committed = [] } = {}) {
      state.updateWanted = true;
      state.pixelsDirty ||= pixels;
      state.finalPending ||= final;
      if (controls) Object.assign(state.pendingControls, controls);
      for (const name of committed) state.pendingCommits.add(name);
      if (state.firstEventTime === null && event) state.firstEventTime = event.timeStamp;
      schedule();
    },

    // Is a change of this control waiting to be sent? (Its field then keeps what was typed.)
    isPending: (name) => name in state.pendingControls,

    // Reset wins over whatever was typed before it and not yet sent.
    dropPendingControls() {
      state.pendingControls = {};
    },

    // Run `run(api)` (a worker call answering JSON, perhaps with a new lab view) after the
    // updates already asked for; resolves with the parsed answer once its view has rendered.
    queueJob: (run) => enqueue(run, true),

    // The worker's functions, each call queued in turn: worker.quiz_action("next") resolves
    // with the worker's answer as is. (No `then`: the object itself is no promise.)
    worker: new Proxy({}, {
      get: (_, name) => typeof name !== "string" || name === "then" ? undefined
        : (...args) => enqueue((api) => api[name](...args), false),
    }),
  };
}
