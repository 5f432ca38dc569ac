import fs from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import YAML from 'yaml';

// The SDK's version follows the contract's: same major (a breaking contract change is a major)
// and minor (new operations); the patch is the SDK's own.

describe('the SDK version', () => {
  test('when compared with the contract info.version, then major and minor are the same', () => {
    const contract = YAML.parse(fs.readFileSync('openapi/reviews.yaml', 'utf8')) as { info: { version: string } };
    const sdk = JSON.parse(fs.readFileSync('sdk/package.json', 'utf8')) as { version: string };
    const majorMinor = (version: string) => version.split('.').slice(0, 2).join('.');

    expect(majorMinor(sdk.version)).toBe(majorMinor(contract.info.version));
  });
});
