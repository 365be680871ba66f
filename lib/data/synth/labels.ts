// The Cityscapes label ids (official table, lib/data/cityscapes-labels.ts) the generator paints,
// and the COCO category ids of its instances.
import { labelByName } from '../cityscapes-labels.ts';

function id(name: string): number {
  const l = labelByName(name);
  if (!l) throw new Error(`synth: no Cityscapes label '${name}'`);
  return l.id;
}

export const LABEL = {
  unlabeled: id('unlabeled'),
  egoVehicle: id('ego vehicle'),
  road: id('road'),
  sidewalk: id('sidewalk'),
  building: id('building'),
  wall: id('wall'),
  fence: id('fence'),
  pole: id('pole'),
  trafficLight: id('traffic light'),
  trafficSign: id('traffic sign'),
  vegetation: id('vegetation'),
  terrain: id('terrain'),
  sky: id('sky'),
  person: id('person'),
  rider: id('rider'),
  car: id('car'),
  bicycle: id('bicycle'),
} as const;

/** COCO 2017 category ids; 'license plate' is none of COCO's (1..90): the first id after them. */
export const COCO_CATEGORY = { person: 1, bicycle: 2, car: 3, licensePlate: 91 } as const;
