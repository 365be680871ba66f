import { test } from 'node:test';
import assert from 'node:assert/strict';
import { METHOD_FLAGS, methodFlagParams, paramValue } from '../../lib/cli/method-flags.ts';
import { getMethod, METHOD_NAMES } from '../../lib/anonymize/methods.ts';

test('paramValue: numbers, comma lists of numbers, booleans, else the string', () => {
  assert.equal(paramValue('7'), 7);
  assert.equal(paramValue('0.5'), 0.5);
  assert.equal(paramValue('-1e-3'), -0.001);
  assert.deepEqual(paramValue('1,2,3'), [1, 2, 3]);
  assert.deepEqual(paramValue(' 10, 20 ,30 '), [10, 20, 30]);
  assert.equal(paramValue('1,x'), '1,x');
  assert.equal(paramValue('deepprivacy2'), 'deepprivacy2');
  assert.equal(paramValue('true'), true);
  assert.equal(paramValue('false'), false);
});

test('methodFlagParams: the flags of the method, a flag it lacks is an error naming its parameters, other methods pass every flag', () => {
  assert.deepEqual(methodFlagParams({ sigma: '3', ksize: '9', variant: 'deepprivacy2' }, 'blur'), { sigma: 3, ksize: 9, variant: 'deepprivacy2' });
  assert.deepEqual(methodFlagParams({ fill: '10,20,30' }, 'maskout'), { fill: [10, 20, 30] });
  assert.deepEqual(methodFlagParams({}, 'inpaint'), {});
  assert.throws(() => methodFlagParams({ sigma: '3' }, 'maskout'), /--sigma does not apply to method maskout \(its parameters: --fill\)/);
  assert.deepEqual(methodFlagParams({ sigma: '2' }, 'realistic'), { sigma: 2 });
  // every parameter of every image-level method has its flag
  for (const name of METHOD_NAMES) for (const k of Object.keys(getMethod(name).schema.shape)) assert.ok((METHOD_FLAGS as readonly string[]).includes(k), `${name}.${k}`);
});
