// The page's side of the learner's Python (sandbox-worker.js): one call at a time, each with a
// time limit. A call that runs past its limit, or a Python that crashes, gets the worker
// terminated (worker.terminate() stops even `while True: pass`) and a fresh one started; so
// does a call after which Python's memory is over MEMORY_LIMIT (WebAssembly memory grows but
// never shrinks: only a new worker gives it back), and restart() (the "Restart Python" button).
//
// call() never rejects: it resolves with {ok: true, result} (result is parsed JSON) or
// {ok: false, reason, message}, reason one of "timeout", "crashed", "busy", "unavailable",
// "restarted"; a timeout's answer also has `seconds`, its limit. Messages are in the language
// shown, and so are the texts the learner's Python makes: each worker started gets the page's
// catalogue as its first message (sandbox-worker.js).

import { catalogue, decimal, lang, t } from "./i18n.js";

const WORKER_URL = new URL("./sandbox-worker.js", import.meta.url);
// What the learner's Python may keep after a call: over ten times what the panel needs (35 MB
// with numpy), room for arrays of tens of millions of numbers, and far under the 1.8 GB that one
// np.ones((15000, 15000)) leaves behind, which a phone's browser may kill the tab for.
export const MEMORY_LIMIT = 512 * 2 ** 20;
let catalogueJson = null; // the catalogue as sent to each worker, made once

export class Sandbox {
  constructor({ onState = () => {}, onMemory = () => {} } = {}) {
    // (state, detail): "starting" | "ready" | "failed" | "restarting". detail.why says why it
    // restarts ({reason: "timeout" | "crashed" | "memory" | "asked", memory}); "ready" repeats it.
    this.onState = onState;
    this.onMemory = onMemory; // (bytes): after the start and after each call
    this.memory = null; // bytes of WebAssembly memory after the last call (or the start)
    this.why = null; // why the worker being started replaced the last one
    this.worker = null;
    this.state = "off";
    this.readyPromise = null;
    this.queue = []; // calls waiting for the worker: {message, limitMs, resolve, queuedAt}
    this.current = null; // the call the worker is running
    this.nextId = 1;
    this.startedAt = 0;
    this.startMs = null; // how long the last start took (ms), for the page and the benchmark
  }

  start() {
    if (this.worker) return this.readyPromise;
    this.startedAt = performance.now();
    this.setState(this.state === "off" ? "starting" : "restarting", { why: this.why });
    const worker = new Worker(WORKER_URL, { type: "module", name: "learner-python" });
    this.worker = worker;
    catalogueJson ??= JSON.stringify(catalogue);
    worker.postMessage({ type: "language", lang, catalogue: catalogueJson });
    this.readyPromise = new Promise((resolve) => {
      worker.onmessage = ({ data }) => {
        if (worker !== this.worker) return; // a terminated worker's last words
        if (data.type === "ready") {
          this.startMs = performance.now() - this.startedAt;
          this.setMemory(data.memory);
          performance.mark("learner-python-ready");
          this.setState("ready", { ms: this.startMs, why: this.why });
          this.why = null;
          resolve(true);
          this.pump();
        } else if (data.type === "failed") {
          this.fail(data.error);
          resolve(false);
        } else {
          this.finish(data);
        }
      };
      worker.onerror = (event) => {
        if (worker !== this.worker) return;
        event.preventDefault();
        this.fail(event.message || t("code.sandbox.no_worker"));
        resolve(false);
      };
    });
    return this.readyPromise;
  }

  setMemory(bytes) {
    this.memory = bytes;
    this.onMemory(bytes);
  }

  setState(state, detail = {}) {
    this.state = state;
    this.onState(state, detail);
  }

  fail(message) {
    this.stop({ ok: false, reason: "unavailable", message });
    this.why = null;
    this.setState("failed", { message });
    this.drain({ ok: false, reason: "unavailable", message });
  }

  // Queue a call. waitForStart: wait while Python starts (checks) instead of answering
  // "unavailable" at once (the lab, which must not wait seconds). maxWaitMs: how long the call
  // may wait behind another one before it answers "busy".
  call(op, args, { limitMs, waitForStart = false, maxWaitMs = Infinity }) {
    return new Promise((resolve) => {
      if (this.state !== "ready" && !waitForStart) {
        resolve({ ok: false, reason: "unavailable", message: t(`code.sandbox.is_${this.state}`) });
        return;
      }
      const entry = { message: { id: this.nextId++, op, args }, limitMs, resolve };
      if (Number.isFinite(maxWaitMs)) {
        entry.waitTimer = setTimeout(() => {
          this.queue = this.queue.filter((e) => e !== entry);
          resolve({ ok: false, reason: "busy", message: t("code.sandbox.busy") });
        }, maxWaitMs);
      }
      this.queue.push(entry);
      this.start();
      this.pump();
    });
  }

  pump() {
    if (this.current || this.state !== "ready" || !this.queue.length) return;
    const entry = this.queue.shift();
    clearTimeout(entry.waitTimer);
    this.current = entry;
    entry.sentAt = performance.now();
    entry.limitTimer = setTimeout(() => this.timeout(entry), entry.limitMs);
    this.worker.postMessage(entry.message);
  }

  finish(data) {
    const entry = this.current;
    if (!entry || data.id !== entry.message.id) return;
    clearTimeout(entry.limitTimer);
    this.current = null;
    this.setMemory(data.memory);
    const ms = performance.now() - entry.sentAt;
    const tooBig = data.memory > MEMORY_LIMIT;
    if (data.ok) {
      entry.resolve({ ok: true, result: JSON.parse(data.result), ms });
      if (tooBig) this.restart({ reason: "memory", memory: data.memory });
      else this.pump();
    } else if (data.fatal) {
      entry.resolve({ ok: false, reason: "crashed", message: data.error });
      this.restart({ reason: "crashed" });
    } else if (tooBig) {
      entry.resolve({ ok: false, reason: "crashed", message: data.error });
      this.restart({ reason: "memory", memory: data.memory });
    } else {
      console.warn("learner Python:", data.error);
      entry.resolve({ ok: false, reason: "crashed", message: data.error });
      this.pump();
    }
  }

  timeout(entry) {
    if (this.current !== entry) return;
    this.current = null;
    const seconds = entry.limitMs / 1000;
    entry.resolve({
      ok: false,
      reason: "timeout",
      seconds,
      message: t("code.sandbox.stopped_after", { seconds: decimal(String(seconds)) }),
      ms: performance.now() - entry.sentAt,
    });
    this.restart({ reason: "timeout" });
  }

  stop(answer = { ok: false, reason: "unavailable", message: t("code.sandbox.stopped") }) {
    if (this.worker) this.worker.terminate();
    this.worker = null;
    if (this.current) {
      clearTimeout(this.current.limitTimer);
      this.current.resolve(answer); // a call still running when the worker is replaced
    }
    this.current = null;
  }

  // Calls queued behind a stopped one are answered at once: their Python is gone.
  drain(answer) {
    for (const entry of this.queue.splice(0)) {
      clearTimeout(entry.waitTimer);
      entry.resolve(answer);
    }
  }

  // why: {reason, memory}; reason "asked" when the learner pressed "Restart Python".
  restart(why = { reason: "asked" }) {
    const answer = { ok: false, reason: "restarted", message: t("code.sandbox.restarted") };
    this.stop(answer);
    this.drain({ ...answer, reason: "unavailable", message: t("code.sandbox.is_restarting") });
    this.why = why;
    this.start();
  }
}
