// --catalog FILE for every command: a user override of the built-in catalog, with errors that name
// the file and the bad field. Imports only the catalog so light commands stay light.
import { readFileSync } from 'node:fs';
import { builtinCatalog, CatalogError, parseCatalogOverride, type Catalog } from '../core/catalog/index';
import { CliError, EXIT } from './cliError';

export function loadCatalogOption(file: string | undefined): Catalog {
  if (!file) return builtinCatalog;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`--catalog: cannot read ${file} (${(e as Error).message})`, EXIT.badInput);
  }
  try {
    return parseCatalogOverride(builtinCatalog, text, 'catalog');
  } catch (e) {
    if (e instanceof CatalogError) throw new CliError(`--catalog ${file}: ${e.message}`, EXIT.badInput);
    throw e;
  }
}
