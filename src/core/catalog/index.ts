export type * from './types';
export { builtinCatalog } from './data';
export {
  CatalogError,
  bucketName,
  contextWindowProblem,
  currentModelIds,
  customTier,
  findModel,
  findTier,
  limitsFor,
  maxTokensProblem,
  OUTPUT_300K_BETA,
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
