// "Download my network" and "Load a network file": the taught head as a small JSON file, in
// the format the page keeps in this browser's storage. Python writes and checks it
// (py/learn_panel.py, with the saved-learning check of py/model/head_trainer.py); this only
// moves bytes. main.js imports it on the first use of either control, never at start-up.
//
// Contract: #download-network, #load-network (a file input), #network-status.

import { $ } from "./dom.js";
import { t } from "./i18n.js";
import { keepLearning } from "./learn-view.js";

const FILE_NAME = "softmax-digits-network.json";
// Read at most this much of a chosen file: more than Python accepts (learn_panel.py's
// MAX_NETWORK_BYTES), so Python sees a whole file or knows from its size that it is too big.
const READ_BYTES = 2_000_000;

// Not a live region (#announce is the lab's only one): the status takes focus, so a screen
// reader reads the outcome of the learner's own action once.
const say = (text) => {
  $("network-status").textContent = text;
  $("network-status").focus();
};

export async function downloadNetwork(queueJob) {
  const { text } = await queueJob((api) => api.network_file());
  if (text === null) return say(t("js.network.nothing"));
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = FILE_NAME;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  say(t("js.network.downloaded", { file: FILE_NAME }));
}

export async function loadNetwork(queueJob, input) {
  const file = input.files?.[0];
  if (!file) return;
  input.value = ""; // the same file can be chosen again
  say(t("js.network.reading", { file: file.name }));
  const bytes = new Uint8Array(await file.slice(0, READ_BYTES).arrayBuffer());
  const answer = await queueJob((api) => api.network_load(bytes, file.size));
  if (answer.notice) return say(answer.notice);
  keepLearning(answer.saved);
  say(answer.loaded);
}
