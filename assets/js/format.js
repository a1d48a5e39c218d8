// The one JS home for a share shown as a percentage, for figures Python sends as plain numbers
// (accuracies, mean confidences, ECE, the novelty score). A probability in the lab's table can
// sit within 1e-12 of 0 or 1: its text is Python's (py/lab/prob_text.py), never made here.

export const percent = (share, digits = 1) => `${(100 * share).toFixed(digits)} %`;
