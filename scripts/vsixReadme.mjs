// The .vsix carries README.md without the screenshot table: vsce refuses relative image links when
// the extension names no public repository, and this project is not published anywhere.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const readme = readFileSync('README.md', 'utf8')
  .replace(
    /<!-- screenshots:start -->[\s\S]*?<!-- screenshots:end -->/g,
    '_Screenshots of the planner, the live charts and the results panel are in the repository under `media/screenshots/`._',
  )
  // A screenshot elsewhere (e.g. the batch section's): its path instead of the image.
  .replace(/^!\[([^\]]*)\]\((media\/screenshots\/[^)]+)\)$/gm, '_$1: `$2` in the repository._');
mkdirSync('dist', { recursive: true });
writeFileSync('dist/README.vsix.md', readme);
