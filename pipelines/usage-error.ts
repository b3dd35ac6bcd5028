/** A mistake in how the command was called: printed as one line with the fix, exit code 1. */
export class UsageError extends Error {}
