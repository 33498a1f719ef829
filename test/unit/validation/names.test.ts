import { describe, expect, it } from 'vitest';
import {
  isCIdentifier,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isQualifiedName,
  isValidIP,
  isValidLabelValue,
  isValidPathSegmentName,
  isValidPortName,
} from '../../../src/apiserver/validation/names.js';

// The details exactly as kube-apiserver prints them (note Go's double space before "or").
const subdomainRule =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const labelRule =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const qualifiedRule =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const labelValueRule =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const cIdentifierRule =
  "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used for validation is '[A-Za-z_][A-Za-z0-9_]*')";
const envVarRule =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";
const ipRule = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const portCharset = 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)';
const portLetter = 'must contain at least one letter (a-z)';

type Table = [string, string[]][];

const tables: Record<string, [(v: string) => string[], Table]> = {
  isDNS1123Subdomain: [
    isDNS1123Subdomain,
    [
      ['example.com', []],
      ['a', []],
      ['0', []],
      ['a-b.c-d', []],
      ['a'.repeat(253), []],
      ['a'.repeat(254), ['must be no more than 253 characters']],
      ['a'.repeat(254) + '-', ['must be no more than 253 characters', subdomainRule]],
      ['Example', [subdomainRule]],
      ['-a', [subdomainRule]],
      ['a.', [subdomainRule]],
      ['a..b', [subdomainRule]],
      ['a_b', [subdomainRule]],
      ['', [subdomainRule]],
    ],
  ],
  isDNS1123Label: [
    isDNS1123Label,
    [
      ['my-name', []],
      ['123-abc', []],
      ['a'.repeat(63), []],
      ['a'.repeat(64), ['must be no more than 63 characters']],
      ['a.b', ['must not contain dots']],
      [`${'a'.repeat(32)}.${'b'.repeat(32)}`, ['must be no more than 63 characters', 'must not contain dots']],
      ['A', [labelRule]],
      ['a_b', [labelRule]],
      ['a-', [labelRule]],
      ['', [labelRule]],
    ],
  ],
  isQualifiedName: [
    isQualifiedName,
    [
      ['a', []],
      ['MyName', []],
      ['my.name', []],
      ['123-abc', []],
      ['a_b', []],
      ['example.com/MyName', []],
      ['a'.repeat(63), []],
      ['a'.repeat(64), ['name part must be no more than 63 characters']],
      ['', ['name part must be non-empty', `name part ${qualifiedRule}`]],
      ['-a', [`name part ${qualifiedRule}`]],
      ['a:b', [`name part ${qualifiedRule}`]],
      ['/a', ['prefix part must be non-empty']],
      ['a/', ['name part must be non-empty', `name part ${qualifiedRule}`]],
      ['Example.com/a', [`prefix part ${subdomainRule}`]],
      [`${'a'.repeat(254)}/b`, ['prefix part must be no more than 253 characters']],
      ['a/b/c', [`a qualified name ${qualifiedRule} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`]],
    ],
  ],
  isValidLabelValue: [
    isValidLabelValue,
    [
      ['', []],
      ['MyValue', []],
      ['my_value', []],
      ['12345', []],
      ['a'.repeat(63), []],
      ['a'.repeat(64), ['must be no more than 63 characters']],
      // Lengths are UTF-8 bytes, as Go counts them.
      ['é'.repeat(32), ['must be no more than 63 characters', labelValueRule]],
      ['-a', [labelValueRule]],
      ['a b', [labelValueRule]],
      ['a/b', [labelValueRule]],
    ],
  ],
  isValidPathSegmentName: [
    isValidPathSegmentName,
    [
      ['a', []],
      ['system:controller:job-controller', []],
      ['...', []],
      ['.', ["may not be '.'"]],
      ['..', ["may not be '..'"]],
      ['a/b', ["may not contain '/'"]],
      ['a%b/c', ["may not contain '/'", "may not contain '%'"]],
    ],
  ],
  isValidPortName: [
    isValidPortName,
    [
      ['http', []],
      ['h2c', []],
      ['web-metrics', []],
      ['a'.repeat(15), []],
      ['a'.repeat(16), ['must be no more than 15 characters']],
      ['', [portCharset, portLetter]],
      ['123', [portLetter]],
      ['HTTP', [portCharset, portLetter]],
      ['a_b', [portCharset]],
      ['a--b', ['must not contain consecutive hyphens']],
      ['-a', ['must not begin or end with a hyphen']],
    ],
  ],
  isCIdentifier: [
    isCIdentifier,
    [
      ['my_name', []],
      ['_x1', []],
      ['MyName', []],
      ['1x', [cIdentifierRule]],
      ['a-b', [cIdentifierRule]],
      ['', [cIdentifierRule]],
    ],
  ],
  isValidIP: [
    isValidIP,
    [
      ['10.9.8.7', []],
      ['0.0.0.0', []],
      ['010.009.008.007', []], // leading zeros: still accepted (ParseIPSloppy), Kubernetes only warns
      ['::1', []],
      ['2001:db8::ffff', []],
      ['::ffff:1.2.3.4', []],
      ['256.1.1.1', [ipRule]],
      ['1.2.3', [ipRule]],
      ['1.2.3.4/24', [ipRule]],
      ['fe80::1%eth0', [ipRule]],
      ['example.com', [ipRule]],
      ['', [ipRule]],
    ],
  ],
  isEnvVarName: [
    isEnvVarName,
    [
      ['MY_ENV.NAME', []],
      ['my.env-name', []],
      ['MyEnvName1', []],
      ['_', []],
      ['1a', [envVarRule]],
      ['a=b', [envVarRule]],
      ['', [envVarRule]],
      ['.', ["must not be '.'"]],
      ['..', ["must not be '..'"]],
      ['..a', ["must not start with '..'"]],
    ],
  ],
};

for (const [name, [fn, table]] of Object.entries(tables)) {
  describe(name, () => {
    it.each(table)('%j -> %j', (value, expected) => {
      expect(fn(value)).toEqual(expected);
    });
  });
}
