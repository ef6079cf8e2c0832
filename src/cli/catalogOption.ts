// --catalog FILE: a user override of the built-in catalog, with errors that name the bad field.
import { readFileSync } from 'node:fs';
import { builtinCatalog, CatalogError, parseCatalogOverride, type Catalog } from '../core/index';
import { CliError } from './cliError';

export function loadCatalogOption(file: string | undefined): Catalog {
  if (!file) return builtinCatalog;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`--catalog: cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return parseCatalogOverride(builtinCatalog, text, file);
  } catch (e) {
    if (e instanceof CatalogError) throw new CliError(`--catalog: ${e.message}`);
    throw e;
  }
}
