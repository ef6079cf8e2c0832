export * from './format';
export { escapeHtml } from './escapeHtml';
