/**
 * A progress line for long command-line tasks: redrawn in place on a terminal, one line per
 * hundred items when output goes to a file or a pipe.
 */
export function progressBar(out: { readonly isTTY?: boolean; write(text: string): unknown }): (phase: string, done: number) => void {
  const spinner = "|/-\\";
  return (phase, done) => {
    if (out.isTTY) out.write(`\r${spinner[done % spinner.length]} ${phase}: ${done}   `);
    else if (done % 100 === 0) out.write(`${phase}: ${done}\n`);
  };
}
