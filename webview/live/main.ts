// The live side panel ("Latency" view). It draws the saved state at once (a re-created view is not
// blank while the host answers), then asks with live/ready; the host replies with live/restore when a
// run exists and then streams live/tick (at most 4 a second), live/warning and live/done.
// Rendering is coalesced to one per animation frame however many messages arrive.
import type { HostToLive, LiveToHost } from '../../src/shared/protocol/messages';
import { isHostToLive } from '../../src/shared/protocol/guards';
import { h } from '../shared/dom';
import { getVsCodeApi } from '../shared/vscodeApi';
import { addWarning, appendWindows, newRun, parseSavedState, restoredRun } from './model';
import type { LiveState } from './model';
import { createLiveView } from './view';

const api = getVsCodeApi<LiveToHost, LiveState>();
const root: HTMLElement =
  document.getElementById('app') ?? document.body.appendChild(h('main', { id: 'app' }));

let state: LiveState | undefined = parseSavedState(api?.getState());
/** False until the host confirms a run: saved state alone may describe a run of an earlier session. */
let live = false;
let stopping = false;
let saveNeeded = false;
let rethemeNeeded = false;
let scheduled = false;
let renders = 0;

const view = createLiveView(root, {
  onStop() {
    if (stopping) return;
    stopping = true;
    api?.postMessage({ type: 'live/stop' });
    schedule();
  },
  onOpenReport() {
    api?.postMessage({ type: 'live/openReport' });
  },
  onCommand(command) {
    api?.postMessage({ type: 'live/command', command });
  },
});

function flush(): void {
  scheduled = false;
  if (rethemeNeeded) {
    rethemeNeeded = false;
    view.retheme();
  }
  view.render({ state, live, stopping });
  root.dataset.renders = String(++renders);
  if (saveNeeded && state && api) {
    saveNeeded = false;
    api.setState(state);
  }
}

function schedule(save = false): void {
  if (save) saveNeeded = true;
  if (scheduled) return;
  scheduled = true;
  // The timeout covers a page that gets no animation frames; whichever comes first renders.
  const frame = requestAnimationFrame(() => {
    clearTimeout(timer);
    flush();
  });
  const timer = setTimeout(() => {
    cancelAnimationFrame(frame);
    flush();
  }, 200);
}

function handle(msg: HostToLive): void {
  switch (msg.type) {
    case 'theme/changed':
      rethemeNeeded = true;
      schedule();
      return;
    case 'live/reset':
      state = newRun(msg.run);
      stopping = false;
      break;
    case 'live/tick':
      // Without a run (a tick that overtook the restore) there is nothing to append to; the restore follows.
      if (!state) return;
      appendWindows(state, msg.windows, msg.totals);
      break;
    case 'live/warning':
      if (!state) return;
      addWarning(state, msg.message);
      break;
    case 'live/done':
      if (!state) return;
      state.summary = msg.summary;
      if (msg.diagnosis) state.diagnosis = msg.diagnosis;
      stopping = false;
      break;
    case 'live/restore': {
      // Warnings are not in the host's snapshot: keep ours when it is the same run.
      const same = state?.run.startedAt === msg.run.startedAt && state?.run.name === msg.run.name;
      state = restoredRun(msg, same ? state?.warnings : []);
      if (!same || state.summary) stopping = false;
      break;
    }
  }
  live = true;
  schedule(true);
}

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  if (isHostToLive(e.data)) handle(e.data);
});
// VS Code switches themes by changing the body class and the --vscode-* variables on <html>.
const retheme = () => {
  rethemeNeeded = true;
  schedule();
};
new MutationObserver(retheme).observe(document.body, { attributes: true, attributeFilter: ['class'] });
new MutationObserver(retheme).observe(document.documentElement, {
  attributes: true,
  attributeFilter: ['style'],
});

flush();
api?.postMessage({ type: 'live/ready' });
