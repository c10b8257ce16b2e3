/** A generated 2,000-line Python module (see corpus.mjs). */
export function twoThousandLinePython(): string;
