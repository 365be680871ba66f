// The task models' input normalisation of 8-bit RGB: (v / 255 - mean) / std per channel, with
// the ImageNet statistics (as torchvision's pretrained models take them). The training stage
// normalises batches with it (lib/train/batch.ts); frozen pretrained encoders undo it for graphs
// that take raw pixels (pretrained-encoder.ts).
export const PIXEL_MEAN = [0.485, 0.456, 0.406] as const;
export const PIXEL_STD = [0.229, 0.224, 0.225] as const;
