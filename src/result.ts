/**
 * What may fail, written as the whole code base writes it: `ok` says which, and the rest is flat,
 * e.g. `{ ok: true, job, position }` or `{ ok: false, reason: 'queue-full', cap }`. The failure
 * side is an identifier and its parameters; whoever shows it to a person puts it into words.
 */
export type Result<Value extends object, Failure extends object> = ({ ok: true } & Value) | ({ ok: false } & Failure);
