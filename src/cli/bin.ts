// Entry point of the `claude-load` binary.
import { main } from './main';

// `claude-load run --help | head`: a reader that closes the pipe early is not an error. (The simulator
// keeps serving when its log pipe closes, so this must not exit.)
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${String(e)}\n`);
    process.exitCode = 3;
  },
);
