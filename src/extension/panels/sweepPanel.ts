// The sweep panel (Find Max Throughput): the steps table and the three sweep charts grow as each step
// finishes, Stop keeps the partial sweep, and the end shows the one-sentence answer. One panel per
// sweep; a saved sweep (Run History) opens the same panel in its finished state.
import * as vscode from 'vscode';
import type { SweepEvent, SweepResult, SweepStep } from '../../core/index';
import { sweepSentence } from '../../core/sweep/index';
import type {
  HostToSweep,
  SweepPanelDone,
  SweepPanelInfo,
  SweepPanelProgress,
  SweepToHost,
} from '../../shared/protocol/messages';
import { isSweepToHost } from '../../shared/protocol/guards';
import type { Services } from '../services';
import { openWebviewPanel } from '../webviews/vscodeWebviews';
import type { WebviewHandler, WebviewHost } from '../webviews/webviewHost';
import { resultAnalysis, sweepPanelAnalysis, sweepPanelInfo } from './sweepPanelModel';

/** Open panels of saved sweeps, by folder: one panel per sweep. */
const savedPanels = new Map<string, SweepPanel>();

export class SweepPanel implements WebviewHandler<SweepToHost, HostToSweep> {
  readonly app = 'sweep';
  readonly readyType = 'sweep/ready';
  readonly isMessage = isSweepToHost;
  readonly themeChanged = { type: 'theme/changed' } as const;
  readonly title: string;
  private host: WebviewHost<SweepToHost, HostToSweep> | undefined;
  private panel: vscode.WebviewPanel | undefined;
  private readonly steps: SweepStep[] = [];
  private progress: SweepPanelProgress | undefined;
  private done: SweepPanelDone | undefined;
  private stopping = false;
  /** Where report.html is, once saved. */
  private reportFile: string | undefined;

  /** A panel for a sweep about to run; feed it with `onEvent`, then `finish`. */
  static forRun(services: Services, info: SweepPanelInfo, onStop: () => void): SweepPanel {
    const p = new SweepPanel(info, onStop);
    p.panel = openWebviewPanel(services, 'claudeLoad.sweep', p).panel;
    return p;
  }

  /** Opens (or reveals) the finished panel of a saved sweep. */
  static showSaved(
    services: Services,
    result: SweepResult,
    folder: vscode.Uri,
    reportFile: string,
  ): SweepPanel {
    const key = folder.toString();
    const open = savedPanels.get(key);
    if (open) {
      open.panel?.reveal();
      return open;
    }
    const p = new SweepPanel(sweepPanelInfo(result), undefined);
    p.steps.push(...result.steps);
    p.done = { result, sentence: sweepSentence(result), saved: true, analysis: resultAnalysis(result) };
    p.reportFile = reportFile;
    p.onClosed = () => savedPanels.delete(key);
    savedPanels.set(key, p);
    p.panel = openWebviewPanel(services, 'claudeLoad.sweep', p).panel;
    return p;
  }

  private onClosed: (() => void) | undefined;

  private constructor(
    private info: SweepPanelInfo,
    private readonly onStop: (() => void) | undefined,
  ) {
    this.title = `Sweep: ${info.name}`;
  }

  attach(host: WebviewHost<SweepToHost, HostToSweep>): void {
    this.host = host;
  }

  get isOpen(): boolean {
    return this.host !== undefined && !this.host.isDisposed;
  }

  restore(host: WebviewHost<SweepToHost, HostToSweep>): void {
    host.post({
      type: 'sweep/show',
      info: this.info,
      steps: this.steps,
      analysis: this.done?.analysis ?? sweepPanelAnalysis(this.steps),
      ...(this.progress && !this.done ? { progress: this.progress } : {}),
      ...(this.done ? { done: this.done } : {}),
      ...(this.stopping && !this.done ? { stopping: true } : {}),
    });
  }

  /** The core's sweep events, as they come. */
  onEvent(e: SweepEvent): void {
    switch (e.type) {
      case 'start':
        this.info = { ...this.info, mode: e.mode, slo: e.slo };
        if (this.host) this.restore(this.host);
        return;
      case 'step-start':
        this.progress = {
          index: e.index,
          phase: e.phase,
          offeredRps: e.offeredRps,
          elapsedS: 0,
          sent: 0,
          completed: 0,
          inFlight: 0,
          costUsd: 0,
        };
        this.host?.post({ type: 'sweep/progress', progress: this.progress });
        return;
      case 'step-progress':
        if (!this.progress || this.progress.index !== e.index) return;
        this.progress = {
          ...this.progress,
          elapsedS: e.elapsedS,
          sent: e.sent,
          completed: e.completed,
          inFlight: e.inFlight,
          costUsd: e.costUsd,
        };
        this.host?.post({ type: 'sweep/progress', progress: this.progress });
        return;
      case 'step':
        this.steps.push(e.step);
        this.host?.post({ type: 'sweep/step', step: e.step, analysis: sweepPanelAnalysis(this.steps) });
        return;
      case 'warning':
      case 'done':
        return;
    }
  }

  /** The sweep ended (completed, stopped or failed) and, when `reportFile` is given, was saved. */
  finish(result: SweepResult, reportFile: string | undefined): void {
    this.reportFile = reportFile;
    this.progress = undefined;
    this.steps.splice(0, this.steps.length, ...result.steps);
    this.done = {
      result,
      sentence: sweepSentence(result),
      saved: reportFile !== undefined,
      analysis: resultAnalysis(result),
    };
    this.host?.post({ type: 'sweep/done', ...this.done });
  }

  async onMessage(msg: SweepToHost): Promise<void> {
    switch (msg.type) {
      case 'sweep/stop':
        if (this.done || this.stopping) return;
        this.stopping = true;
        this.onStop?.();
        return;
      case 'sweep/openReport':
        if (this.reportFile) await vscode.env.openExternal(vscode.Uri.file(this.reportFile));
        return;
    }
  }

  onDispose(): void {
    this.host = undefined;
    this.onClosed?.();
  }
}
