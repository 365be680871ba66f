// Builds a task model from the config it records (DenseModel.config), e.g. when a checkpoint is
// loaded for prediction.
import type { DenseModel, Task } from './dense.ts';
import { createInstancesModel, type InstancesOptions } from './instances.ts';
import { createKeypointsModel, type KeypointsOptions } from './keypoints.ts';
import { createSemsegModel, type SemsegOptions } from './semseg.ts';

export type ModelConfig = { task: Task } & SemsegOptions & InstancesOptions & KeypointsOptions;

export function createTaskModel(config: ModelConfig): DenseModel {
  const { task, ...opts } = config;
  switch (task) {
    case 'semseg':
      return createSemsegModel(opts);
    case 'instances':
      return createInstancesModel(opts);
    case 'keypoints':
      return createKeypointsModel(opts);
    default:
      throw new Error(`unknown task '${String(task)}' (semseg, instances, keypoints)`);
  }
}
