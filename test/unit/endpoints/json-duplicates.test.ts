import { describe, expect, it } from 'vitest';
import { findDuplicateKeys } from '../../../src/apiserver/endpoints/json-duplicates.js';

describe('findDuplicateKeys', () => {
  const cases: Array<[string, string, string[]]> = [
    ['no duplicates', '{"a":1,"b":{"c":[1,2,{"d":true}]}}', []],
    ['top level', '{"a":1,"a":2}', ['a']],
    ['each repeat reported', '{"a":1,"a":2,"a":3}', ['a', 'a']],
    ['nested object', '{"metadata":{"name":"x","name":"y"}}', ['metadata.name']],
    ['inside a list', '{"spec":{"containers":[{"name":"a"},{"name":"b","image":"i","image":"j"}]}}', ['spec.containers[1].image']],
    ['root list', '[{"a":1,"a":2}]', ['[0].a']],
    ['same key in sibling objects is fine', '{"a":{"x":1},"b":{"x":2}}', []],
    ['escaped quote inside a value', '{"a":"say \\"hi\\"","a":"x"}', ['a']],
    ['escaped backslash before the closing quote', '{"a":"\\\\","b":1,"b":2}', ['b']],
    ['keys equal once unescaped', '{"\\u0061":1,"a":2}', ['a']],
    ['whitespace everywhere', ' { "a" : [ 1 , 2 ] ,\n\t"a" : null } ', ['a']],
    ['empty containers', '{"a":{},"b":[],"a":[]}', ['a']],
    ['numbers and literals', '{"n":-1.5e3,"t":true,"f":false,"z":null,"n":0}', ['n']],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    JSON.parse(text); // the scanner's input is JSON that parsed
    expect(findDuplicateKeys(text)).toEqual(expected);
  });
});
