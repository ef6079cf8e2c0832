// The only module that knows about @vscode/webview-ui-toolkit. The toolkit is not bundled: VS Code
// pages load dist/webview/toolkit.min.js as a separate module script, which registers the <vscode-*>
// elements (elements created earlier are upgraded when it runs). Outside VS Code (the standalone
// report.html) it is absent, so plain elements are used there.

export interface ButtonOptions {
  label: string;
  onClick: () => void;
  appearance?: 'primary' | 'secondary';
  title?: string;
  /** Stable hook for tests. */
  testId?: string;
  /** Accessible name when the visible label is not enough (e.g. "Remove claude-haiku-4-5"). */
  ariaLabel?: string;
}

/** True when this page is a VS Code webview (the toolkit script is loaded alongside). */
export function inVsCode(): boolean {
  return typeof (globalThis as { acquireVsCodeApi?: unknown }).acquireVsCodeApi === 'function';
}

/** A <vscode-button> in VS Code, a plain <button> elsewhere. */
export function createButton(opts: ButtonOptions): HTMLElement {
  const el = document.createElement(inVsCode() ? 'vscode-button' : 'button');
  el.textContent = opts.label;
  if (el instanceof HTMLButtonElement) el.type = 'button';
  el.setAttribute('appearance', opts.appearance ?? 'secondary');
  if (opts.title) el.title = opts.title;
  if (opts.testId) el.dataset.testid = opts.testId;
  if (opts.ariaLabel) el.setAttribute('aria-label', opts.ariaLabel);
  el.classList.add('cls-button');
  el.addEventListener('click', () => opts.onClick());
  return el;
}

// ---- Form controls (planner) ---------------------------------------------------------------------
// Values are set through attributes when built: the toolkit script runs after the app, and a property
// set on a not-yet-upgraded element would shadow the component's accessor. Read values in event
// handlers only (the elements are upgraded by then).

export interface FieldOptions {
  label: string;
  value: string;
  /** Stable hook (data-field) for error highlighting and tests, e.g. 'rpm' or 'mix[0].share'. */
  field: string;
  /** Hides the visible label (the accessible name stays), e.g. in a row with a column header. */
  hideLabel?: boolean;
  placeholder?: string;
  title?: string;
}

export interface TextFieldOptions extends FieldOptions {
  onInput: (value: string) => void;
}

export interface ChoiceOption {
  value: string;
  label: string;
}

export interface DropdownOptions extends FieldOptions {
  options: ChoiceOption[];
  onChange: (value: string) => void;
}

export interface RadioGroupOptions extends FieldOptions {
  options: ChoiceOption[];
  onChange: (value: string) => void;
}

/** What a builder returns: `root` goes into the page, `control` carries data-field and aria-invalid. */
export interface FormControl {
  root: HTMLElement;
  control: HTMLElement;
}

let controlIds = 0;

function nextId(field: string): string {
  return `cls-${field.replace(/[^a-zA-Z0-9_-]/g, '-')}-${++controlIds}`;
}

function valueOf(target: EventTarget | null): string {
  const v = (target as { value?: unknown } | null)?.value;
  return typeof v === 'string' ? v : '';
}

function labelFor(id: string, opts: FieldOptions): HTMLLabelElement {
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = opts.label;
  label.className = opts.hideLabel ? 'cls-label cls-visually-hidden' : 'cls-label';
  return label;
}

function wrap(...children: HTMLElement[]): HTMLElement {
  const root = document.createElement('div');
  root.className = 'cls-field';
  root.append(...children);
  return root;
}

function mark(el: HTMLElement, opts: FieldOptions, id: string): void {
  el.id = id;
  el.dataset.field = opts.field;
  el.setAttribute('aria-label', opts.label);
  if (opts.title) el.title = opts.title;
}

/** A <vscode-text-field> (its slotted text is the visible label) in VS Code, label + <input> elsewhere. */
export function createTextField(opts: TextFieldOptions): FormControl {
  const id = nextId(opts.field);
  const onInput = (e: Event) => opts.onInput(valueOf(e.currentTarget));
  if (inVsCode()) {
    const el = document.createElement('vscode-text-field');
    mark(el, opts, id);
    el.setAttribute('value', opts.value);
    if (opts.placeholder) el.setAttribute('placeholder', opts.placeholder);
    // The toolkit replaces aria-label with the text content (or "Text field"): always give the text,
    // and hide it with CSS when the label should not show.
    el.textContent = opts.label;
    el.classList.add('cls-text-field');
    if (opts.hideLabel) el.classList.add('cls-hide-label');
    el.addEventListener('input', onInput);
    return { root: wrap(el), control: el };
  }
  const input = document.createElement('input');
  input.type = 'text';
  mark(input, opts, id);
  input.value = opts.value;
  if (opts.placeholder) input.placeholder = opts.placeholder;
  input.addEventListener('input', onInput);
  return { root: wrap(labelFor(id, opts), input), control: input };
}

/** A labelled <vscode-dropdown> in VS Code, a <select> elsewhere. */
export function createDropdown(opts: DropdownOptions): FormControl {
  const id = nextId(opts.field);
  const vs = inVsCode();
  const el = document.createElement(vs ? 'vscode-dropdown' : 'select');
  mark(el, opts, id);
  for (const o of opts.options) {
    const option = document.createElement(vs ? 'vscode-option' : 'option');
    option.setAttribute('value', o.value);
    option.textContent = o.label;
    if (o.value === opts.value) option.setAttribute('selected', '');
    el.append(option);
  }
  if (vs) el.setAttribute('position', 'below');
  let last = opts.value;
  el.addEventListener('change', (e) => {
    const v = valueOf(e.currentTarget);
    if (v === last) return;
    last = v;
    opts.onChange(v);
  });
  return { root: wrap(labelFor(id, opts), el), control: el };
}

/** A <vscode-radio-group> in VS Code, a fieldset of radio inputs elsewhere. */
export function createRadioGroup(opts: RadioGroupOptions): FormControl {
  const id = nextId(opts.field);
  if (inVsCode()) {
    const group = document.createElement('vscode-radio-group');
    mark(group, opts, id);
    const label = document.createElement('label');
    label.slot = 'label';
    label.textContent = opts.label;
    group.append(label);
    for (const o of opts.options) {
      const radio = document.createElement('vscode-radio');
      radio.setAttribute('value', o.value);
      radio.setAttribute('aria-label', o.label);
      radio.textContent = o.label;
      if (o.value === opts.value) radio.setAttribute('checked', '');
      group.append(radio);
    }
    // The group stops its radios' change events and emits its own (also once when it upgrades):
    // report real changes only.
    let last = opts.value;
    group.addEventListener('change', (e) => {
      const t = e.target as HTMLElement & { checked?: boolean };
      const v = t === group ? valueOf(group) : t.checked ? (t.getAttribute('value') ?? '') : '';
      if (v && v !== last) {
        last = v;
        opts.onChange(v);
      }
    });
    return { root: wrap(group), control: group };
  }
  const fieldset = document.createElement('fieldset');
  mark(fieldset, opts, id);
  const legend = document.createElement('legend');
  legend.textContent = opts.label;
  fieldset.append(legend);
  for (const o of opts.options) {
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = id;
    input.value = o.value;
    input.id = `${id}-${o.value}`;
    input.checked = o.value === opts.value;
    input.addEventListener('change', () => {
      if (input.checked) opts.onChange(o.value);
    });
    const label = document.createElement('label');
    label.htmlFor = input.id;
    label.textContent = o.label;
    fieldset.append(input, label);
  }
  return { root: wrap(fieldset), control: fieldset };
}

/** Marks a control invalid (aria-invalid, which the toolkit passes on to its inner input). */
export function setInvalid(control: HTMLElement, invalid: boolean, describedBy?: string): void {
  if (invalid) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
  if (invalid && describedBy) control.setAttribute('aria-describedby', describedBy);
  else control.removeAttribute('aria-describedby');
  control.classList.toggle('cls-invalid', invalid);
}

/** Enables or disables a button from createButton (both kinds honour the attribute). */
export function setDisabled(el: HTMLElement, disabled: boolean): void {
  el.toggleAttribute('disabled', disabled);
  el.setAttribute('aria-disabled', String(disabled));
}
