// Where a mask came from, for error messages (DataError's file, record and field).
export interface MaskContext {
  file: string;
  record: string;
  field: string;
}

export const NO_CONTEXT: MaskContext = { file: '(input)', record: '(mask)', field: 'segmentation' };
