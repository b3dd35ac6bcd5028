/** Colour on stdout only for a terminal, and never with NO_COLOR (https://no-color.org) or TERM=dumb. */
export function stdoutWantsColor(): boolean {
  return Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== "dumb";
}
