// Child-process entry of a rehearsal instance (bundled as dist/scaleInstance.js; run through tsx in tests).
import { instanceMain } from './instance';

void instanceMain().catch((e: unknown) => {
  process.stderr.write(String((e as Error)?.stack ?? e) + '\n');
  process.exit(1);
});
