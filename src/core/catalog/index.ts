export type * from './types';
export { builtinCatalog } from './data';
export {
  CatalogError,
  bucketName,
  currentModelIds,
  customTier,
  findModel,
  findTier,
  limitsFor,
  pricesFor,
  resolveModel,
  tierNames,
} from './catalog';
export {
  applyCatalogOverride,
  catalogOverrideSchema,
  describeSchemaError,
  parseCatalogOverride,
} from './override';
