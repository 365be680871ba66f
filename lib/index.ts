// Public API of anon-impact, as notebooks and scripts import it (`import { ... } from 'anon-impact'`),
// stage by stage in pipeline order. Named exports only; the COCO mask utilities are one namespace
// (`masks.decode`, `masks.encode`, ...) since their names are generic.

// data: manifests, datasets, images, the synthetic dataset, statistics
export { DataError } from './data/types.ts';
export type { Rle, RleJson, Box, DatasetFormat, Category, Instance, Plate, Sample, Dataset } from './data/types.ts';
export { loadManifest, type Manifest } from './data/manifest.ts';
export { readSplit, datasetSpec } from './data/open.ts';
export { readDataset, type DatasetSpec } from './data/dataset.ts';
export { decodeImage, encodeImage, writeImage, imageSize, type Image } from './data/image.ts';
export * as masks from './data/masks/index.ts';
export { writeSynthDataset, type SynthDatasetOptions, type SynthSummary } from './data/synth/write.ts';
export { drawPreview, type PreviewInstance, type PreviewOptions } from './data/synth/preview.ts';
export { boxSizes, empiricalCdf, type BoxSize, type CdfPoint } from './data/box-sizes.ts';
export { classCounts, type ClassCount } from './data/class-counts.ts';

// regions: what to anonymize
export { computeRegions, type RegionOptions } from './regions/regions.ts';
export type { Region, RegionKind, PersonRegionKind, InstanceRecord, SampleRegions } from './regions/region.ts';
export { REGION_SELECTIONS, type RegionSelection } from './regions/selection.ts';
export { plateRegions } from './regions/plate.ts';
export type { Dilation } from './regions/body.ts';

// anonymize: methods, one image, a whole split
export { createAnonymizer, anonymizerNames, resolveAnonymizerParams, type Anonymizer } from './anonymize/anonymizer.ts';
export { METHOD_NAMES, methods, type MethodName } from './anonymize/methods.ts';
export { imageRng, type ImageRng } from './anonymize/rng.ts';
export { anonymizeSample, pickSample, readSampleImage, type SampleAnonymizeOptions, type SampleAnonymizeResult } from './anonymize/anonymize-sample.ts';
export { anonymizeDataset, type AnonymizeOptions, type AnonymizeResult, type AnonymizeProgress } from './anonymize/runner.ts';
export { trainGenerator, TRAIN_DEFAULTS as GENERATOR_TRAIN_DEFAULTS, type TrainGeneratorOptions } from './anonymize/realistic/train-generator.ts';
export { REALISTIC_METHODS, type RealisticMethod } from './anonymize/realistic/methods.ts';

// privacy: what an anonymized copy still gives away (face re-identification, detectability, appearance)
export { privacyReport, PRIVACY_SCHEMA, type PrivacyReport, type PrivacyOptions, type Distribution, type Share, type FaceRecord, type PersonRecord, type RegionRecord } from './privacy/privacy-report.ts';
export { formatPrivacyTable } from './privacy/privacy-table.ts';
export { loadFaceEmbedder, cosineSimilarity, humanSimilarity, humanMatch, HUMAN_MATCH_THRESHOLD, type FaceEmbedder } from './privacy/face-embedding.ts';
export { loadPersonDetector, type PersonDetector, type PersonDetection } from './privacy/person-detector.ts';
export { appearanceDistance, hsHistogram, bhattacharyya, rgbToHsv } from './privacy/hsv-histogram.ts';
export { facesFound, type FaceTarget } from './privacy/face-detectability.ts';
export { matchTargets, type MatchRule } from './privacy/box-match.ts';
export { pixelIndependence, type PixelIndependence } from './privacy/pixel-independence.ts';
export { readAnonymizedCopy, type AnonymizedCopy } from './privacy/anonymized-copy.ts';

// train: backend, presets, training, predictions
export { initBackend, BACKENDS, type BackendInfo, type BackendOptions, type BackendChoice } from './nn/runtime/backend.ts';
export { getPreset, PRESET_NAMES, type Preset, type PresetName, type PresetOverrides } from './train/presets.ts';
export { train, LOG_FILE, RUN_FILE, type TrainOptions, type TrainResult, type TrainProgress, type RunRecord } from './train/trainer.ts';
export { predict, readRun, type PredictOptions, type PredictResult } from './train/predict.ts';

// eval: pycocotools and cityscapesScripts
export { evaluateCocoFiles, evaluateCocoJson, type CocoSummary } from './eval/coco.ts';
export { CityscapesPixelEvaluator, evaluatePixelLevel, formatPixelTable, type CityscapesPixelResult } from './eval/cityscapes-pixel.ts';
export { CityscapesInstanceEvaluator, formatInstanceTable, type CityscapesInstanceResult } from './eval/cityscapes-instance.ts';

// stats
export { mean, sem, std, describe } from './stats/describe.ts';
export { wilcoxon } from './stats/wilcoxon.ts';
export { mannWhitneyU } from './stats/mannwhitney.ts';

// experiments: grids, the stage cache, results
export { loadGrid, parseGrid, conditionId, conditionLabel, resultMethod, TASKS, type GridSpec, type Condition, type Task } from './experiments/spec.ts';
export { PACKAGE_ROOT, PRESET_DIR, presetNames, presetSummaries, resolveGrid, selectConditions, type PresetSummary } from './experiments/grid-presets.ts';
export { sweepGrid, type SweepOptions, type KnobPlace } from './experiments/sweep.ts';
export { BUDGETS, BUDGET_NAMES, type Budget, type BudgetName } from './experiments/budgets.ts';
export { planGrid, type Plan, type Stage, type PlannedCondition } from './experiments/plan.ts';
export { planGridJob, runGridJob, cachedStages, methodUnavailable, planRows, stageProgress, gridManifest, gridPredictions, type GridJobOptions, type GridJobResult, type GridJobPlanOptions, type StageEvent } from './experiments/grid-job.ts';
export { runGrid, TASK_NAMES, type GridRunResult } from './experiments/run-grid.ts';
export { StageCache, defaultCacheDir } from './experiments/cache.ts';
export { workspace, type Workspace } from './experiments/workspace.ts';
export { scorePredictions, type Metrics } from './experiments/evaluate-run.ts';
export { readResultsCsv, writeResultsCsv } from './experiments/results-csv.ts';
export type { MetricRow } from './experiments/metric-row.ts';

// report: tables, figures, galleries
export { aggregate, type AggregateRow } from './report/aggregate.ts';
export { renderMarkdown, renderHtml, type TableOptions } from './report/tables.ts';
export { compareWithReference, renderCompareMarkdown } from './report/compare.ts';
export { readReference, referenceTables } from './report/reference.ts';
export { differenceFigure, relativeIouHeatmap, boxSizeCdfFigure, depthFigure, compareFigure, type FigureSpec } from './report/figures.ts';
export { figureSet, type NamedFigure } from './report/figure-set.ts';
export { exportFigures, figurePngs, FigureExporter, type ImageFormat } from './report/export.ts';
export { predictionPreview, type PredictionColumn, type PredictionPreviewOptions } from './report/prediction-preview.ts';
export { imageGrid, writeImageGrid, type GridCell, type GridOptions } from './report/image-grid.ts';
export { buildGridReport, writeGridReport, type GridReportContent } from './report/grid-report.ts';
export { plotlyScript, figureHtml, figuresHtml, type InlineFigureOptions } from './report/inline-figure.ts';
export { markdownTable, htmlTable, type MarkdownTableOptions, type Records } from './report/records-table.ts';
export { readTrainLog, parseTrainLog, lossCurveFigure, lossTerms, type TrainLog } from './report/loss-curve.ts';
export { boxSizePoints } from './report/box-size-points.ts';
export { readBoxSizesCsv, type BoxSizePoint } from './report/box-sizes-csv.ts';
export { annotationPreview, regionPreview, type RegionPreview } from './report/sample-preview.ts';
export { methodGallery, entryCaption, focusRect, type GalleryEntry, type GalleryOptions, type Gallery, type Rect } from './report/method-gallery.ts';
export { datasetOverview, type DatasetOverview, type OverviewSource, type OverviewOptions } from './report/dataset-overview.ts';
